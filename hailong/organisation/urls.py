from django.urls import path

from hailong.organisation.views import catalogue, pages

app_name = "organisation"

urlpatterns = [
    path("units/", pages.unit_list, name="unit_list"),
    path("units/<int:pk>/", pages.unit_detail, name="unit_detail"),
    path("procedures/", pages.service_list, name="service_list"),
    path("procedures/<int:pk>/", pages.service_detail, name="service_detail"),
    path("procedures/import/", catalogue.catalogue_import, name="catalogue_import"),
    path("service-points/", pages.point_list, name="point_list"),
    path("service-points/<int:pk>/", pages.point_detail, name="point_detail"),
    path("staff/", pages.staff_list, name="staff_list"),
]
