from django.urls import path

from hailong.analytics import views

app_name = "analytics"

urlpatterns = [
    # Downloads are the same URL: ?download=<table>&format=xlsx|csv, exactly as filtered.
    path("", views.dashboard_view, name="dashboard"),
]
