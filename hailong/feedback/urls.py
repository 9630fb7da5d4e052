from django.urls import path

from hailong.feedback.views import cases, stats

app_name = "feedback"

urlpatterns = [
    path("", cases.case_list_page, name="case_list"),
    path("new/", cases.case_new, name="case_new"),
    path("statistics/", stats.case_stats, name="case_stats"),
    path("deadline-rules/", cases.deadline_rules, name="deadline_rules"),
    path("<slug:code>/", cases.case_detail, name="case_detail"),
    path("<slug:code>/officers/", cases.case_officers, name="case_officers"),
    path("<slug:code>/receipt.pdf", cases.case_receipt, name="case_receipt"),
    path("<slug:code>/files/<int:pk>/", cases.case_attachment, name="case_attachment"),
    path("<slug:code>/<slug:action>/", cases.case_action, name="case_action"),
]
