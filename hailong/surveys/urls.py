from django.urls import path

from hailong.surveys.views import (
    campaigns,
    customers,
    dossiers,
    imports,
    paper,
    questionnaires,
    responses,
)

app_name = "surveys"

urlpatterns = [
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/new/", questionnaires.questionnaire_new, name="questionnaire_new"),
    path("versions/<int:pk>/sections/add/", questionnaires.section_add_view, name="section_add"),
    path(
        "questionnaires/import/",
        questionnaires.questionnaire_import_view,
        name="questionnaire_import",
    ),
    path("versions/<int:pk>/", questionnaires.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", questionnaires.version_edit, name="version_edit"),
    path("versions/<int:pk>/compare/", questionnaires.version_compare, name="version_compare"),
    path("versions/<int:pk>/export.json", questionnaires.version_export, name="version_export"),
    path("versions/<int:pk>/items/add/", questionnaires.item_edit, name="item_add"),
    path("versions/<int:pk>/items/<int:item_pk>/", questionnaires.item_edit, name="item_edit"),
    path(
        "versions/<int:pk>/items/<int:item_pk>/delete/",
        questionnaires.item_delete,
        name="item_delete",
    ),
    path("versions/<int:pk>/<slug:action>/", questionnaires.version_action, name="version_action"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_edit, name="campaign_add"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/status/", campaigns.campaign_status, name="campaign_status"),
    path("campaigns/<int:pk>/invite/", customers.campaign_invite, name="campaign_invite"),
    path("customers/", customers.customer_list, name="customer_list"),
    path("paper/", paper.paper_home, name="paper_home"),
    path("paper/<int:campaign_pk>/print/", paper.paper_print, name="paper_print"),
    path("paper/<int:campaign_pk>/entry/", paper.paper_entry, name="paper_entry"),
    path("paper/batches/<int:pk>.pdf", paper.paper_batch_pdf, name="paper_batch_pdf"),
    path("service-points/<int:pk>/poster.pdf", paper.point_poster, name="point_poster"),
    path("dossiers/", dossiers.dossier_register, name="dossier_register"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/cancel/", imports.import_cancel, name="import_cancel"),
    path("responses/", responses.response_list, name="response_list"),
    path("responses/export/", responses.response_export, name="response_export"),
    path("responses/<int:pk>/", responses.response_detail, name="response_detail"),
    path("responses/<int:pk>/correct/", responses.response_correct_view, name="response_correct"),
]
