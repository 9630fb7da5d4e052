from django.urls import path

from hailong.public import case_views, kiosk_views, views

app_name = "public"

urlpatterns = [
    path("danh-gia/<slug:point_code>/", views.survey_form, name="survey_form"),
    path("danh-gia/<slug:point_code>/cam-on/", views.survey_thanks, name="thanks"),
    path("moi/<str:token>/", views.invitation_form, name="invitation"),
    path("phan-anh/", case_views.case_form, name="case_form"),
    path("phan-anh/da-nhan/<slug:code>/", case_views.case_filed, name="case_filed"),
    path(
        "phan-anh/<slug:code>/giay-tiep-nhan.pdf",
        case_views.case_public_receipt,
        name="case_receipt",
    ),
    path("tra-cuu/", case_views.case_lookup, name="case_lookup"),
    path("tra-cuu/l/<str:token>/", case_views.case_link, name="case_link"),
    path("tra-cuu/<slug:code>/", case_views.case_status, name="case_status"),
    path("tra-cuu/<slug:code>/danh-gia/", case_views.case_rate_view, name="case_rate"),
    path("tra-cuu/<slug:code>/tep/<int:pk>/", case_views.case_public_file, name="case_file"),
    path("kiosk/", kiosk_views.kiosk_page, name="kiosk"),
    path("kiosk/sw.js", kiosk_views.kiosk_service_worker, name="kiosk_sw"),
    path("kiosk/api/config", kiosk_views.kiosk_config, name="kiosk_config"),
    path("kiosk/api/taps", kiosk_views.kiosk_taps, name="kiosk_taps"),
    path("kiosk/api/status", kiosk_views.kiosk_status, name="kiosk_status"),
]
