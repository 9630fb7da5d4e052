"""What every write to a case shares: refusals, the tracking code, the lock with its stale-page
check, the role and scope check, and the commit that saves, adds a history event and audits."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record
from hailong.core.periods import LOCAL_TZ
from hailong.core.text import normalize_text
from hailong.feedback.actions import ACTIONS
from hailong.feedback.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseKind,
)
from hailong.feedback.selectors import cases_actionable_by
from hailong.organisation.models import Staff
from hailong.organisation.permissions import has_role

# Letters and digits that cannot be confused when read aloud or typed from a receipt.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class CaseRejected(Exception):
    """The change was not made. `message` is for the person; `errors` maps fields to text."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class CaseRateExceeded(CaseRejected):
    """Too many cases opened from one origin (address or API key) in the window."""


class CaseKeyReused(CaseRejected):
    """An idempotency key seen before came with a different request: nothing was stored."""


class CaseStale(CaseRejected):
    """Someone else changed the case after the person's page was drawn."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def local_today() -> date:
    return timezone.now().astimezone(LOCAL_TZ).date()


# -- intake ------------------------------------------------------------------------------------


# -- the workflow ------------------------------------------------------------------------------


def lock_case(case: Case, expected_version: int | None) -> Case:
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise CaseStale(
            _(
                "Someone else changed this case while you had it open. Your change was not "
                "saved; check the case as it is now and try again."
            )
        )
    return fresh


def check_action(case: Case, actor: Staff, action: str) -> None:
    """Role, then scope: acting on a case needs the handling unit in one's scope (or being
    the officer in charge); the unit it is about may read it but not answer for another, and
    never handles a denunciation about itself."""
    statuses, roles = ACTIONS[action]
    if not has_role(actor, roles) or not cases_actionable_by(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    if case.status not in statuses:
        raise CaseRejected(
            _("This case is “%(status)s”; that cannot be done now.")
            % {"status": case.get_status_display()}
        )


def commit_change(
    case: Case,
    *,
    actor: Staff | None,
    verb: str,
    fields: list[str],
    before: dict,
    event_kind: str = CaseEventKind.STATUS,
    from_status: str = "",
    text: str = "",
    is_public: bool = True,
) -> Case:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=event_kind,
        from_status=from_status,
        to_status=case.status if event_kind == CaseEventKind.STATUS else "",
        text=text,
        is_public=is_public,
    )
    if actor is not None:
        after = {name: plain_value(getattr(case, name)) for name in fields}
        if case.kind == CaseKind.DENUNCIATION:
            # The audit log is read by administrators who may not see denunciations.
            before, after = redacted(before), redacted(after)
        audit_record(actor=actor, action=f"case.{verb}", target=case, before=before, after=after)
    return case


REDACTED_FIELDS = {"title", "refusal_reason", "transferred_to", "rating_comment"}


def redacted(values: dict) -> dict:
    return {k: ("…" if k in REDACTED_FIELDS and v else v) for k, v in values.items()}


def plain_value(value):
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def values_before(case: Case, fields: list[str]) -> dict:
    return {name: plain_value(getattr(case, name)) for name in fields}


def vietnamese(text) -> str:
    """Text the system writes into a case's history is stored in Vietnamese, the language of
    the record, whatever language the person clicking uses."""
    with translation.override("vi"):
        return str(text)


def changed_labels(fields: list[str]) -> str:
    return ", ".join(vietnamese(Case._meta.get_field(name).verbose_name) for name in fields)


def required_text(text: str, field: str, message: str) -> str:
    text = normalize_text(text or "")
    if not text:
        raise CaseRejected(message, {field: message})
    return text[:10000]
