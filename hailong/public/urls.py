from django.urls import path

from hailong.public import kiosk_views, views

app_name = "public"

urlpatterns = [
    path("danh-gia/<slug:point_code>/", views.survey_form, name="survey_form"),
    path("danh-gia/<slug:point_code>/cam-on/", views.survey_thanks, name="thanks"),
    path("moi/<str:token>/", views.invitation_form, name="invitation"),
    path("kiosk/", kiosk_views.kiosk_page, name="kiosk"),
    path("kiosk/sw.js", kiosk_views.kiosk_service_worker, name="kiosk_sw"),
    path("kiosk/api/config", kiosk_views.kiosk_config, name="kiosk_config"),
    path("kiosk/api/taps", kiosk_views.kiosk_taps, name="kiosk_taps"),
]
