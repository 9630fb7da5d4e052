"""The audit actions of the surveys app (declared in apps.py)."""

from django.utils.translation import gettext_lazy as _

from hailong.core.audit import entity_actions

ACTIONS = {
    **entity_actions("campaign", _("survey campaign")),
    "campaign.open": _("opened survey campaign"),
    "campaign.closed": _("closed survey campaign"),
    "campaign.draft": _("put survey campaign back in preparation"),
    "campaign.take_over": _("let survey campaign take over from another"),
    "questionnaire.create": _("added questionnaire"),
    **entity_actions("questionnaire_version", _("questionnaire version")),
    "questionnaire_version.import": _("imported questionnaire version"),
    "questionnaire_version.publish": _("published questionnaire version"),
    "questionnaire_version.retire": _("retired questionnaire version"),
    "questionnaire_item.save": _("saved question"),
    "questionnaire_item.delete": _("deleted question"),
    "questionnaire_section.create": _("added questionnaire section"),
    "response.create": _("entered response"),
    "response.create_batch": _("stored a batch of responses"),
    "response.correct": _("corrected response"),
    "response.delete": _("deleted responses"),
    "response.export": _("exported responses"),
    "response_import.run": _("imported responses"),
    "response_import.cancel": _("cancelled response import"),
    "paper_batch.create": _("printed paper forms"),
    **entity_actions("kiosk_device", _("kiosk device")),
    "invitation.send": _("sent invitations"),
    "dossier.create": _("added dossier"),
    "dossier.update": _("changed dossier"),
    "dossier.import": _("imported dossiers"),
    **entity_actions("regular_customer", _("regular customer")),
    "regular_customer.import": _("imported regular customers"),
}
