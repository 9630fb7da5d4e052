"""The audit actions of the feedback app (declared in apps.py). A denunciation's actions read
exactly like any other case's, so the log does not single them out."""

from django.utils.translation import gettext_lazy as _

from hailong.core.audit import entity_actions

ACTIONS = {
    "case.create": _("received case"),
    "case.update": _("corrected case details"),
    "case.accept": _("accepted case"),
    "case.refuse": _("refused case"),
    "case.assign": _("assigned case"),
    "case.start": _("started handling case"),
    "case.return": _("returned case to the desk"),
    "case.answer": _("answered case"),
    "case.close": _("closed case"),
    "case.reopen": _("reopened case"),
    "case.transfer": _("transferred case"),
    "case.note": _("added an internal note to case"),
    "case.reply": _("replied to the citizen on case"),
    "case.attach": _("attached a file to case"),
    "case.rate": _("case rated by the citizen"),
    **entity_actions("deadline_rule", _("deadline rule")),
}
