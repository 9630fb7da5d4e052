"""The workflow's transitions, one function each: `case_<verb>(*, case, actor, expected_version,
...)` locks the row, refuses a stale copy, checks role, scope and status, and commits."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hailong.core.periods import LOCAL_TZ
from hailong.core.text import normalize_text
from hailong.feedback import notifications
from hailong.feedback.deadlines import apply_deadlines, transfer_days_late
from hailong.feedback.intake import check_attachments
from hailong.feedback.models import (
    Case,
    CaseAttachment,
    CaseEventKind,
    CaseKind,
    CaseStatus,
)
from hailong.feedback.permissions import TRIAGE
from hailong.feedback.selectors import officers_for_unit
from hailong.feedback.services.common import (
    CaseRejected,
    check_action,
    commit_change,
    local_today,
    lock_case,
    required_text,
    values_before,
    vietnamese,
)
from hailong.organisation.models import Staff, Unit
from hailong.organisation.permissions import has_role
from hailong.organisation.selectors import units_visible_to


@transaction.atomic
def case_accept(*, case: Case, actor: Staff, expected_version: int | None, note: str = "") -> Case:
    """Thụ lý: the agency takes the case on. For a complaint, the decision period starts."""
    case = lock_case(case, expected_version)
    check_action(case, actor, "accept")
    fields = ["status", "accepted_on", "accept_due_on", "answer_due_on", "due_on"]
    before = values_before(case, fields)
    case.status = CaseStatus.ACCEPTED
    case.accepted_on = local_today()
    if case.accept_due_on and case.accepted_on > case.accept_due_on:
        case.missed_deadline = True
    apply_deadlines(case)
    return commit_change(
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
    reason = required_text(reason, "reason", _("Give the reason for refusing the case."))
    case = lock_case(case, expected_version)
    check_action(case, actor, "refuse")
    fields = ["status", "refusal_reason", "due_on"]
    before = values_before(case, fields)
    case.status = CaseStatus.REFUSED
    case.refusal_reason = reason
    case.due_on = None
    return commit_change(
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
    case = lock_case(case, expected_version)
    check_action(case, actor, "assign")
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
    before = values_before(case, fields)
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
    return commit_change(
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
    case = lock_case(case, expected_version)
    check_action(case, actor, "start")
    if case.assignee_id and case.assignee_id != actor.pk:
        raise CaseRejected(
            _("%(name)s is in charge of this case; ask the desk to reassign it.")
            % {"name": case.assignee.get_full_name()}
        )
    fields = ["status", "assignee"]
    before = values_before(case, fields)
    case.status = CaseStatus.IN_PROGRESS
    if case.assignee_id is None:
        case.assignee = actor
    return commit_change(
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
    reason = required_text(reason, "reason", _("Say why the case goes back to the desk."))
    case = lock_case(case, expected_version)
    check_action(case, actor, "return")
    if case.assignee_id not in (None, actor.pk) and not has_role(actor, TRIAGE):
        raise CaseRejected(
            _("%(name)s is in charge of this case; ask the desk to reassign it.")
            % {"name": case.assignee.get_full_name()}
        )
    fields = ["status", "assignee"]
    before = values_before(case, fields)
    from_status = case.status
    case.status = CaseStatus.ACCEPTED
    case.assignee = None
    return commit_change(
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
    reply = required_text(reply, "reply", _("Write the answer the citizen will read."))
    case = lock_case(case, expected_version)
    check_action(case, actor, "answer")
    fields = ["status", "answered_at", "answered_on", "due_on", "missed_deadline"]
    before = values_before(case, fields)
    from_status = case.status
    case.status = CaseStatus.ANSWERED
    case.answered_at = timezone.now()
    case.answered_on = case.answered_at.astimezone(LOCAL_TZ).date()
    if case.answer_due_on and case.answered_on > case.answer_due_on:
        case.missed_deadline = True
    case.due_on = None
    case = commit_change(
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
    case = lock_case(case, expected_version)
    check_action(case, actor, "close")
    fields = ["status", "closed_at"]
    before = values_before(case, fields)
    from_status = case.status
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    return commit_change(
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
    reason = required_text(reason, "reason", _("Say why the case is reopened."))
    case = lock_case(case, expected_version)
    check_action(case, actor, "reopen")
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
    before = values_before(case, fields)
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
    return commit_change(
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
    agency = required_text(agency, "agency", _("Name the agency the case is sent to."))[:300]
    case = lock_case(case, expected_version)
    check_action(case, actor, "transfer")
    fields = ["status", "transferred_to", "transferred_on", "due_on", "missed_deadline"]
    before = values_before(case, fields)
    from_status = case.status
    case.status = CaseStatus.TRANSFERRED
    case.transferred_to = agency
    case.transferred_on = local_today()
    # Sent on after the 5 working days of NĐ 20/2008 art. 9: late for good, like a late
    # acceptance or answer (the statistics count it as a transfer out of time).
    if transfer_days_late(transfer_due_on=case.transfer_due_on, transferred_on=case.transferred_on):
        case.missed_deadline = True
    case.due_on = None
    with translation.override("vi"):  # the citizen reads this, in Vietnamese
        text = _("Sent to %(agency)s, the competent agency.") % {"agency": agency}
    if normalize_text(reason):
        text += f"\n{normalize_text(reason)}"
    return commit_change(
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
    text = required_text(text, "text", _("Write the note or reply."))
    case = lock_case(case, expected_version)
    check_action(case, actor, "reply" if public else "note")
    return commit_change(
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

    if upload is None:
        message = _("Choose a file to attach.")
        raise CaseRejected(message, {"file": message})
    problem = check_attachments([upload])
    if problem:
        raise CaseRejected(problem, {"file": problem})
    case = lock_case(case, expected_version)
    check_action(case, actor, "attach")
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
    return commit_change(
        case,
        actor=actor,
        verb="attach",
        fields=[],
        before={},
        event_kind=CaseEventKind.REPLY if public else CaseEventKind.NOTE,
        text=vietnamese(_("File attached: %(name)s") % {"name": attachment.original_name}),
        is_public=public,
    )
