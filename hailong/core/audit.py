"""The audit log: every staff write calls `audit_record` inside the write's transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from hailong.core.models import AuditEntry
from hailong.core.request_context import current_ip


def snapshot(instance: models.Model | None, *, exclude: tuple[str, ...] = ()) -> dict | None:
    """The fields of a model instance as JSON-friendly data (M2M as sorted primary keys)."""
    if instance is None or instance.pk is None:
        return None
    data = model_to_dict(instance, exclude=("password", *exclude))
    for key, value in list(data.items()):
        if isinstance(value, list):
            data[key] = sorted(getattr(v, "pk", v) for v in value)
        elif isinstance(value, models.Model):
            data[key] = value.pk
        elif hasattr(value, "name") and hasattr(value, "url"):  # files
            data[key] = value.name or ""
    data["id"] = instance.pk
    return data


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one row to the audit log. Call it inside the transaction of the write it describes,
    so that the write and its trace commit or roll back together."""
    actor_obj = actor if getattr(actor, "pk", None) else None
    entry = AuditEntry(
        actor=actor_obj,
        actor_name=actor_obj.get_username() if actor_obj else "",
        action=action,
        before=before,
        after=after,
        ip=ip or current_ip(),
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:255]
    entry.save()
    return entry


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    before, after = before or {}, after or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


# Human labels for the actions shown on staff pages; unknown actions fall back to their code.
ACTION_LABELS = {
    "auth.login": _("signed in"),
    "auth.logout": _("signed out"),
    "auth.password_change": _("changed their password"),
    "auth.login_failed": _("failed to sign in"),
    "auth.locked_out": _("account locked after failed sign-ins"),
    "auth.unlock": _("unlocked an account"),
    "staff.set_password": _("set a staff member's password"),
    "service.import": _("imported procedures"),
}
VERB_LABELS = {
    "create": _("added"),
    "update": _("changed"),
    "delete": _("deleted"),
    "open": _("opened"),
    "closed": _("closed"),
    "draft": _("reopened as draft"),
    "publish": _("published"),
    "retire": _("retired"),
    "save": _("saved"),
    "correct": _("corrected"),
    "import": _("imported"),
    "send": _("sent"),
    "run": _("ran"),
    "cancel": _("cancelled"),
    "revoke": _("revoked"),
    "export": _("exported"),
    "accept": _("accepted"),
    "refuse": _("refused"),
    "assign": _("assigned"),
    "start": _("started handling"),
    "answer": _("answered"),
    "close": _("closed"),
    "reopen": _("reopened"),
    "transfer": _("transferred"),
    "note": _("added an internal note to"),
    "reply": _("replied to the citizen on"),
    "return": _("returned to the desk"),
    "attach": _("attached a file to"),
}
ENTITY_LABELS = {
    "unit": _("unit"),
    "service": _("procedure"),
    "service_point": _("service point"),
    "service_field": _("field"),
    "staff": _("staff member"),
    "calendar_day": _("calendar exception"),
    "campaign": _("survey campaign"),
    "questionnaire_version": _("questionnaire version"),
    "questionnaire_item": _("question"),
    "response": _("response"),
    "kiosk_device": _("kiosk device"),
    "paper_batch": _("paper form batch"),
    "invitation": _("invitations"),
    "response_import": _("response import"),
    "file_import": _("file import"),
    "api_token": _("API key"),
    "dossier": _("dossier"),
    "regular_customer": _("regular customers"),
    "case": _("feedback or complaint case"),
    "deadline_rule": _("deadline rule"),
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    entity, _sep, verb = action.rpartition(".")
    if entity in ENTITY_LABELS and verb in VERB_LABELS:
        return f"{VERB_LABELS[verb]} {ENTITY_LABELS[entity]}"
    return action
