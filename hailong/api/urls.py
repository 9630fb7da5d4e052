from django.urls import path

from hailong.api import views

app_name = "api"

urlpatterns = [
    path("v1/responses", views.responses_create, name="responses"),
    path("v1/dossiers", views.dossiers_create, name="dossiers"),
    path("v1/cases", views.cases_create, name="cases"),
    path("v1/cases/<slug:code>", views.case_read, name="case"),
    path("v1/indices", views.indices, name="indices"),
    path("v1/openapi.json", views.openapi, name="openapi"),
]
