"""The audit log: every staff write calls `audit_record` inside the write's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.forms.models import model_to_dict
from django.utils.text import format_lazy
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
    if action not in _ACTIONS:
        raise UnknownAuditAction(f"undeclared audit action {action!r} (see audit_actions_declare)")
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


# The declared list of audit actions: every app registers the actions it writes, each with the
# words staff read in the log (apps.py ready(), from its audit_actions.py); audit_record refuses
# an action nobody declared, so the log holds no free strings and no separate label maps.
_ACTIONS: dict[str, Any] = {}


class UnknownAuditAction(ValueError):
    pass


def audit_actions_declare(actions: dict[str, Any]) -> None:
    twice = set(actions) & set(_ACTIONS)
    if twice:
        raise ValueError(f"audit actions declared twice: {sorted(twice)}")
    _ACTIONS.update(actions)


def entity_actions(entity: str, label) -> dict[str, Any]:
    """The create, update and delete actions of an entity edited in forms or the admin."""
    return {
        f"{entity}.create": format_lazy(_("added {}"), label),
        f"{entity}.update": format_lazy(_("changed {}"), label),
        f"{entity}.delete": format_lazy(_("deleted {}"), label),
    }


def declared_actions() -> dict[str, Any]:
    return dict(_ACTIONS)


def action_label(action: str) -> str:
    label = _ACTIONS.get(action)
    return str(label) if label is not None else action


audit_actions_declare(
    {
        "auth.login": _("signed in"),
        "auth.logout": _("signed out"),
        "auth.password_change": _("changed their password"),
        "auth.login_failed": _("failed to sign in"),
        "auth.locked_out": _("account locked after failed sign-ins"),
        "auth.unlock": _("unlocked an account"),
        **entity_actions("calendar_day", _("calendar exception")),
        "file_import.cancel": _("cancelled file import"),
    }
)


# Entries some viewers must not learn of, said by the app that knows why (feedback: the entries
# of a denunciation for whoever may not see that denunciation). Core knows no cases, so the
# apps above register a function viewer -> Q of the entries to hide (apps.py ready()).
_HIDERS: list[Callable[[Any], Q]] = []


def audit_hider_register(hider: Callable[[Any], Q]) -> None:
    _HIDERS.append(hider)


def audit_entries_visible_to(viewer) -> QuerySet[AuditEntry]:
    """The audit log as this person may read it: every page that shows entries (the admin's
    list, search and detail, the home page) reads it here, so a hidden entry is absent."""
    entries = AuditEntry.objects.all()
    for hider in _HIDERS:
        entries = entries.exclude(hider(viewer))
    return entries
