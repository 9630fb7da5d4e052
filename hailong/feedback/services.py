"""Every write to a case: intake and each workflow transition.

Each transition is one function, `case_<verb>(*, case, actor, expected_version, ...)`, that
locks the row, refuses a stale copy (`expected_version` is the version the person's page was
drawn from), checks the actor's role and scope and the case's status, saves only what changed,
bumps the version, adds a history event and writes the audit log, all in one transaction.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record
from hailong.core.periods import LOCAL_TZ
from hailong.core.text import normalize_text
from hailong.feedback import notifications
from hailong.feedback.actions import ACTIONS
from hailong.feedback.deadlines import apply_deadlines
from hailong.feedback.intake import (
    CONSENT_TEXT_VI,
    NAMED_KINDS,
    CaseIntake,
    clean_intake,
    phone_digits,
)
from hailong.feedback.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    CaseStatus,
    HandlingRating,
)
from hailong.feedback.permissions import TRIAGE
from hailong.feedback.selectors import cases_actionable_by, officers_for_unit
from hailong.organisation.models import Staff, Unit
from hailong.organisation.permissions import has_role
from hailong.organisation.selectors import units_visible_to

# Letters and digits that cannot be confused when read aloud or typed from a receipt.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class CaseRejected(Exception):
    """The change was not made. `message` is for the person; `errors` maps fields to text."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class CaseStale(CaseRejected):
    """Someone else changed the case after the person's page was drawn."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def local_today() -> date:
    return timezone.now().astimezone(LOCAL_TZ).date()


# -- intake ------------------------------------------------------------------------------------


def case_receive(
    intake: CaseIntake, *, actor: Staff | None = None, source_response=None, notify: bool = True
) -> tuple[Case, bool]:
    """Open a case from what a citizen, clerk, connected system or survey sent.

    Returns (case, created); an idempotency key seen before returns the earlier case.
    Raises CaseRejected with every problem of the intake at once."""
    if intake.idempotency_key:
        earlier = Case.objects.filter(idempotency_key=intake.idempotency_key).first()
        if earlier is not None:
            return earlier, False
    errors = clean_intake(intake)
    if errors:
        raise CaseRejected(_("Some fields need your attention."), errors)
    received_at = intake.received_at or timezone.now()
    with transaction.atomic():
        case, created = _store_case(intake, received_at, actor, source_response)
        if created and notify:
            transaction.on_commit(lambda: notifications.acknowledge(case))
        return case, created


def _store_case(intake: CaseIntake, received_at, actor, source_response) -> tuple[Case, bool]:
    unit = intake.unit
    case = Case(
        kind=intake.kind,
        channel=intake.channel,
        title=intake.title,
        content=intake.content,
        remedy_sought=intake.remedy_sought[:4000],
        unit=unit,
        # A denunciation is handled above the unit it is about (Luật Tố cáo 2018 art. 12–13:
        # by the head of the agency managing the people denounced), never by that unit: it
        # starts with the parent unit, and the desk routes it on. Other cases start with the
        # unit concerned.
        handling_unit=(unit.parent or unit) if intake.kind == CaseKind.DENUNCIATION else unit,
        service=intake.service,
        dossier_code=intake.dossier_code,
        is_complex=intake.is_complex,
        is_remote=intake.is_remote,
        received_at=received_at,
        received_on=received_at.astimezone(LOCAL_TZ).date(),
        idempotency_key=intake.idempotency_key or None,
        source_response=source_response,
        created_by=actor,
    )
    if intake.has_contact:
        digits = phone_digits(intake.contact_phone)
        case.contact_name = intake.contact_name[:150]
        case.contact_phone = intake.contact_phone[:30]
        case.contact_email = intake.contact_email[:254]
        case.contact_address = intake.contact_address[:300]
        # The last 4 digits of the phone open the public page with the code; without a
        # phone, a random PIN printed on the receipt does (a named case must not open with
        # the code alone: the code travels in links and on paper).
        case.lookup_pin = digits[-4:] if len(digits) >= 4 else f"{secrets.randbelow(10000):04d}"
        case.consent_text = intake.consent_text or CONSENT_TEXT_VI
        case.consent_at = received_at
    apply_deadlines(case)
    for _attempt in range(5):
        case.code = new_code()
        try:
            with transaction.atomic():
                case.save()
                break
        except IntegrityError:
            if intake.idempotency_key:
                earlier = Case.objects.filter(idempotency_key=intake.idempotency_key).first()
                if earlier is not None:
                    return earlier, False
            continue  # the code was taken: draw another
    else:  # pragma: no cover (32^8 codes)
        raise CaseRejected(_("The case could not be stored; please try again."))
    for upload in intake.attachments:
        attachment = CaseAttachment(
            case=case,
            original_name=upload.name[:200],
            content_type=upload.content_type[:100],
            size=len(upload.data),
            uploaded_by=actor,
        )
        attachment.file.save(upload.name, ContentFile(upload.data), save=False)
        attachment.save()
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=CaseEventKind.STATUS,
        to_status=CaseStatus.RECEIVED,
        is_public=True,
    )
    if actor is not None:
        audit_record(
            actor=actor,
            action="case.create",
            target=case,
            after={"kind": case.kind, "channel": case.channel, "unit": unit.pk},
        )
    return case, True


# -- the workflow ------------------------------------------------------------------------------


def _lock(case: Case, expected_version: int | None) -> Case:
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise CaseStale(
            _(
                "Someone else changed this case while you had it open. Your change was not "
                "saved; check the case as it is now and try again."
            )
        )
    return fresh


def _check(case: Case, actor: Staff, action: str) -> None:
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


def _commit(
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
        after = {name: _plain(getattr(case, name)) for name in fields}
        if case.kind == CaseKind.DENUNCIATION:
            # The audit log is read by administrators who may not see denunciations.
            before, after = _redacted(before), _redacted(after)
        audit_record(actor=actor, action=f"case.{verb}", target=case, before=before, after=after)
    return case


REDACTED_FIELDS = {"title", "refusal_reason", "transferred_to", "rating_comment"}


def _redacted(values: dict) -> dict:
    return {k: ("…" if k in REDACTED_FIELDS and v else v) for k, v in values.items()}


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _before(case: Case, fields: list[str]) -> dict:
    return {name: _plain(getattr(case, name)) for name in fields}


def vietnamese(text) -> str:
    """Text the system writes into a case's history is stored in Vietnamese, the language of
    the record, whatever language the person clicking uses."""
    with translation.override("vi"):
        return str(text)


def changed_labels(fields: list[str]) -> str:
    return ", ".join(vietnamese(Case._meta.get_field(name).verbose_name) for name in fields)


def _required_text(text: str, field: str, message: str) -> str:
    text = normalize_text(text or "")
    if not text:
        raise CaseRejected(message, {field: message})
    return text[:10000]


@transaction.atomic
def case_accept(*, case: Case, actor: Staff, expected_version: int | None, note: str = "") -> Case:
    """Thụ lý: the agency takes the case on. For a complaint, the decision period starts."""
    case = _lock(case, expected_version)
    _check(case, actor, "accept")
    fields = ["status", "accepted_on", "accept_due_on", "answer_due_on", "due_on"]
    before = _before(case, fields)
    case.status = CaseStatus.ACCEPTED
    case.accepted_on = local_today()
    if case.accept_due_on and case.accepted_on > case.accept_due_on:
        case.missed_deadline = True
    apply_deadlines(case)
    return _commit(
        case,
        actor=actor,
        verb="accept",
        fields=[*fields, "transfer_due_on", "missed_deadline"],
        before=before,
        from_status=CaseStatus.RECEIVED,
        text=normalize_text(note),
    )


@transaction.atomic
def case_refuse(*, case: Case, actor: Staff, expected_version: int | None, reason: str) -> Case:
    """Không thụ lý, with the reason the citizen is told (Luật Khiếu nại 2011 art. 11)."""
    reason = _required_text(reason, "reason", _("Give the reason for refusing the case."))
    case = _lock(case, expected_version)
    _check(case, actor, "refuse")
    fields = ["status", "refusal_reason", "due_on"]
    before = _before(case, fields)
    case.status = CaseStatus.REFUSED
    case.refusal_reason = reason
    case.due_on = None
    return _commit(
        case,
        actor=actor,
        verb="refuse",
        fields=fields,
        before=before,
        from_status=CaseStatus.RECEIVED,
        text=reason,
    )


@transaction.atomic
def case_assign(
    *,
    case: Case,
    actor: Staff,
    expected_version: int | None,
    unit: Unit,
    officer: Staff | None,
    note: str = "",
) -> Case:
    """Give the case to a unit and, optionally, to one officer of it."""
    case = _lock(case, expected_version)
    _check(case, actor, "assign")
    if not units_visible_to(actor).filter(pk=unit.pk).exists():
        raise CaseRejected(_("Choose a unit within your scope."), {"unit": _("Not in your scope.")})
    if case.kind == CaseKind.DENUNCIATION and unit.is_within(case.unit):
        message = _("A denunciation is handled outside the unit it is about.")
        raise CaseRejected(message, {"unit": message})
    officers = officers_for_unit(unit, case=case)
    if officer is not None and not officers.filter(pk=officer.pk).exists():
        message = _("%(name)s does not work for %(unit)s.") % {
            "name": officer.get_full_name(),
            "unit": unit.display_name,
        }
        raise CaseRejected(message, {"officer": message})
    fields = ["status", "handling_unit", "assignee"]
    before = _before(case, fields)
    from_status = case.status
    case.handling_unit = unit
    case.assignee = officer
    if (
        case.status == CaseStatus.ACCEPTED
        or (officer.pk if officer else None) != before["assignee"]
    ):
        case.status = CaseStatus.ASSIGNED
    with translation.override("vi"):  # history is written in the data's language
        text = _("Assigned to %(unit)s") % {"unit": unit.display_name}
    if officer is not None:
        text += f" – {officer.get_full_name()}"
    if note:
        text += f"\n{normalize_text(note)}"
    return _commit(
        case,
        actor=actor,
        verb="assign",
        fields=fields,
        before=before,
        event_kind=CaseEventKind.ASSIGN,
        text=text,
        # Who handles it is the agency's business: citizens see the status, not the names.
        is_public=False,
        from_status=from_status,
    )


@transaction.atomic
def case_start(*, case: Case, actor: Staff, expected_version: int | None) -> Case:
    case = _lock(case, expected_version)
    _check(case, actor, "start")
    if case.assignee_id and case.assignee_id != actor.pk:
        raise CaseRejected(
            _("%(name)s is in charge of this case; ask the desk to reassign it.")
            % {"name": case.assignee.get_full_name()}
        )
    fields = ["status", "assignee"]
    before = _before(case, fields)
    case.status = CaseStatus.IN_PROGRESS
    if case.assignee_id is None:
        case.assignee = actor
    return _commit(
        case,
        actor=actor,
        verb="start",
        fields=fields,
        before=before,
        from_status=CaseStatus.ASSIGNED,
    )


@transaction.atomic
def case_return(*, case: Case, actor: Staff, expected_version: int | None, reason: str) -> Case:
    """The officer hands a case back to the desk (not theirs, or not their unit's): nobody is
    in charge again, so it waits in the desk's list; the deadline keeps running."""
    reason = _required_text(reason, "reason", _("Say why the case goes back to the desk."))
    case = _lock(case, expected_version)
    _check(case, actor, "return")
    if case.assignee_id not in (None, actor.pk) and not has_role(actor, TRIAGE):
        raise CaseRejected(
            _("%(name)s is in charge of this case; ask the desk to reassign it.")
            % {"name": case.assignee.get_full_name()}
        )
    fields = ["status", "assignee"]
    before = _before(case, fields)
    from_status = case.status
    case.status = CaseStatus.ACCEPTED
    case.assignee = None
    return _commit(
        case,
        actor=actor,
        verb="return",
        fields=fields,
        before=before,
        event_kind=CaseEventKind.ASSIGN,
        from_status=from_status,
        text=vietnamese(_("Returned to the desk")) + f"\n{reason}",
        is_public=False,
    )


@transaction.atomic
def case_answer(*, case: Case, actor: Staff, expected_version: int | None, reply: str) -> Case:
    """The agency's answer (or decision) to the citizen: public, and it stops the clock."""
    reply = _required_text(reply, "reply", _("Write the answer the citizen will read."))
    case = _lock(case, expected_version)
    _check(case, actor, "answer")
    fields = ["status", "answered_at", "answered_on", "due_on", "missed_deadline"]
    before = _before(case, fields)
    from_status = case.status
    case.status = CaseStatus.ANSWERED
    case.answered_at = timezone.now()
    case.answered_on = case.answered_at.astimezone(LOCAL_TZ).date()
    if case.answer_due_on and case.answered_on > case.answer_due_on:
        case.missed_deadline = True
    case.due_on = None
    case = _commit(
        case,
        actor=actor,
        verb="answer",
        fields=fields,
        before=before,
        event_kind=CaseEventKind.STATUS,
        from_status=from_status,
        text=reply,
    )
    transaction.on_commit(lambda: notifications.answered(case))
    return case


@transaction.atomic
def case_close(*, case: Case, actor: Staff, expected_version: int | None, note: str = "") -> Case:
    case = _lock(case, expected_version)
    _check(case, actor, "close")
    fields = ["status", "closed_at"]
    before = _before(case, fields)
    from_status = case.status
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    return _commit(
        case,
        actor=actor,
        verb="close",
        fields=fields,
        before=before,
        from_status=from_status,
        text=normalize_text(note),
        is_public=True,
    )


@transaction.atomic
def case_reopen(*, case: Case, actor: Staff, expected_version: int | None, reason: str) -> Case:
    """Back to work: the answer did not settle it. The answer and its rating are cleared (the
    history keeps them); the deadline that was running runs again."""
    reason = _required_text(reason, "reason", _("Say why the case is reopened."))
    case = _lock(case, expected_version)
    _check(case, actor, "reopen")
    fields = [
        "status",
        "answered_at",
        "answered_on",
        "closed_at",
        "refusal_reason",
        "period_start_on",
        "accept_due_on",
        "answer_due_on",
        "transfer_due_on",
        "due_on",
    ]
    before = _before(case, fields)
    from_status = case.status
    if case.assignee_id:
        case.status = CaseStatus.ASSIGNED
    elif case.accepted_on:
        case.status = CaseStatus.ACCEPTED
    else:
        case.status = CaseStatus.RECEIVED
    case.answered_at = case.answered_on = case.closed_at = None
    case.refusal_reason = ""
    # The period that was running starts again from today (the history keeps the first).
    # A deadline missed before stays missed (`missed_deadline`), and the citizen's rating of
    # the earlier answer stays counted until they rate the new answer.
    case.period_start_on = local_today()
    apply_deadlines(case)
    return _commit(
        case,
        actor=actor,
        verb="reopen",
        fields=fields,
        before=before,
        from_status=from_status,
        text=reason,
        is_public=True,
    )


@transaction.atomic
def case_transfer(
    *, case: Case, actor: Staff, expected_version: int | None, agency: str, reason: str
) -> Case:
    """Chuyển đơn: outside this agency's competence, sent to the competent one (NĐ 20/2008
    art. 9: within 5 working days of receipt for a PAKN)."""
    agency = _required_text(agency, "agency", _("Name the agency the case is sent to."))[:300]
    case = _lock(case, expected_version)
    _check(case, actor, "transfer")
    fields = ["status", "transferred_to", "transferred_on", "due_on"]
    before = _before(case, fields)
    from_status = case.status
    case.status = CaseStatus.TRANSFERRED
    case.transferred_to = agency
    case.transferred_on = local_today()
    case.due_on = None
    with translation.override("vi"):  # the citizen reads this, in Vietnamese
        text = _("Sent to %(agency)s, the competent agency.") % {"agency": agency}
    if normalize_text(reason):
        text += f"\n{normalize_text(reason)}"
    return _commit(
        case,
        actor=actor,
        verb="transfer",
        fields=fields,
        before=before,
        from_status=from_status,
        text=text,
    )


@transaction.atomic
def case_add_note(
    *, case: Case, actor: Staff, expected_version: int | None, text: str, public: bool
) -> Case:
    """An internal note (staff only) or a public reply (the citizen reads it on the lookup
    page), without changing the status."""
    text = _required_text(text, "text", _("Write the note or reply."))
    case = _lock(case, expected_version)
    _check(case, actor, "reply" if public else "note")
    return _commit(
        case,
        actor=actor,
        verb="reply" if public else "note",
        fields=[],
        before={},
        event_kind=CaseEventKind.REPLY if public else CaseEventKind.NOTE,
        text=text,
        is_public=public,
    )


@transaction.atomic
def case_attach(
    *, case: Case, actor: Staff, expected_version: int | None, upload, public: bool
) -> Case:
    """A file added by staff: evidence gathered, or the signed answer the citizen may
    download (`public`)."""
    from hailong.feedback.intake import check_attachments

    if upload is None:
        message = _("Choose a file to attach.")
        raise CaseRejected(message, {"file": message})
    problem = check_attachments([upload])
    if problem:
        raise CaseRejected(problem, {"file": problem})
    case = _lock(case, expected_version)
    _check(case, actor, "attach")
    attachment = CaseAttachment(
        case=case,
        original_name=upload.name[:200],
        content_type=upload.content_type[:100],
        size=len(upload.data),
        uploaded_by=actor,
        is_public=public,
    )
    attachment.file.save(upload.name, ContentFile(upload.data), save=False)
    attachment.save()
    return _commit(
        case,
        actor=actor,
        verb="attach",
        fields=[],
        before={},
        event_kind=CaseEventKind.REPLY if public else CaseEventKind.NOTE,
        text=vietnamese(_("File attached: %(name)s") % {"name": attachment.original_name}),
        is_public=public,
    )


EDITABLE_FIELDS = ("title", "kind", "unit", "service", "dossier_code", "is_complex", "is_remote")


@transaction.atomic
def case_update(*, case: Case, actor: Staff, expected_version: int | None, changes: dict) -> Case:
    """Correct the details of an open case. Kind, complexity and remoteness change the
    deadlines, which are computed again."""
    case = _lock(case, expected_version)
    _check(case, actor, "update")
    if "unit" in changes and not units_visible_to(actor).filter(pk=changes["unit"].pk).exists():
        raise CaseRejected(_("Choose a unit within your scope."), {"unit": _("Not in your scope.")})
    fields = [
        name for name in EDITABLE_FIELDS if name in changes and getattr(case, name) != changes[name]
    ]
    if not fields:
        return case
    before = _before(case, fields)
    for name in fields:
        value = changes[name]
        setattr(case, name, normalize_text(value) if isinstance(value, str) else value)
    if "kind" in fields and CaseKind.DENUNCIATION in (before["kind"], case.kind):
        # Turning a denunciation into another kind would show the denouncer to the unit
        # concerned; turning a case into one would hide it from the people handling it.
        message = _(
            "A denunciation cannot become another kind of case, nor the other way round: "
            "record it again as the right kind."
        )
        raise CaseRejected(message, {"kind": message})
    if case.kind in NAMED_KINDS and not case.contact_name:
        message = _("A complaint or denunciation must give the person's name.")
        raise CaseRejected(message, {"kind": message})
    deadline_fields = ["accept_due_on", "answer_due_on", "transfer_due_on", "due_on"]
    apply_deadlines(case)
    return _commit(
        case,
        actor=actor,
        verb="update",
        fields=[*fields, *deadline_fields],
        before=before,
        event_kind=CaseEventKind.EDIT,
        text=changed_labels(fields),
        is_public=False,
    )


@transaction.atomic
def case_rate(*, case: Case, rating: int, comment: str = "") -> Case:
    """The citizen's satisfaction with the handling (3 levels), given once per answer. A
    satisfied rating closes the case; "not satisfied" leaves it answered for the desk to
    reopen or close."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in (CaseStatus.ANSWERED, CaseStatus.CLOSED) or case.answered_at is None:
        raise CaseRejected(_("This case has not been answered yet."))
    if not can_be_rated(case):
        raise CaseRejected(_("You have already rated the handling of this case. Thank you."))
    if rating not in HandlingRating.values:
        raise CaseRejected(_("Choose one of the three answers."), {"rating": _("Choose one.")})
    fields = ["rating", "rating_comment", "rated_at", "status", "closed_at"]
    before = _before(case, fields)
    case.rating = rating
    case.rating_comment = normalize_text(comment)[:2000]
    case.rated_at = timezone.now()
    from_status = case.status
    if rating != HandlingRating.NOT_SATISFIED and case.status == CaseStatus.ANSWERED:
        case.status = CaseStatus.CLOSED
        case.closed_at = case.rated_at
    case = _commit(
        case,
        actor=None,
        verb="rate",
        fields=fields,
        before=before,
        event_kind=CaseEventKind.RATING,
        text=vietnamese(HandlingRating(rating).label),
        is_public=True,
    )
    if case.status != from_status:
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.STATUS,
            from_status=from_status,
            to_status=case.status,
            is_public=True,
        )
    return case


def can_be_rated(case: Case) -> bool:
    """Answered, and not yet rated since the last answer (a reopened case answered again
    may be rated again; the latest rating counts)."""
    if case.answered_at is None or case.status not in (CaseStatus.ANSWERED, CaseStatus.CLOSED):
        return False
    return case.rated_at is None or case.rated_at < case.answered_at
