"""Changes that are not transitions: correcting a case's details and the citizen's rating."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hailong.core.text import normalize_text
from hailong.feedback.deadlines import apply_deadlines
from hailong.feedback.dossier_links import dossiers_pakn_refresh, pakn_links
from hailong.feedback.intake import (
    NAMED_KINDS,
)
from hailong.feedback.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    CaseStatus,
    ComplaintInstance,
    HandlingRating,
)
from hailong.feedback.services.common import (
    CaseRejected,
    changed_labels,
    check_action,
    commit_change,
    lock_case,
    values_before,
    vietnamese,
)
from hailong.organisation.models import Staff
from hailong.organisation.selectors import units_visible_to

EDITABLE_FIELDS = (
    "title",
    "kind",
    "unit",
    "service",
    "dossier_code",
    "is_complex",
    "is_remote",
    "instance",
)


@transaction.atomic
def case_update(*, case: Case, actor: Staff, expected_version: int | None, changes: dict) -> Case:
    """Correct the details of an open case. Kind, complexity and remoteness change the
    deadlines, which are computed again."""
    case = lock_case(case, expected_version)
    check_action(case, actor, "update")
    if "unit" in changes and not units_visible_to(actor).filter(pk=changes["unit"].pk).exists():
        raise CaseRejected(_("Choose a unit within your scope."), {"unit": _("Not in your scope.")})
    fields = [
        name for name in EDITABLE_FIELDS if name in changes and getattr(case, name) != changes[name]
    ]
    if not fields:
        return case
    before = values_before(case, fields)
    links_before = pakn_links(case) if case.kind == CaseKind.PAKN else set()
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
    if case.instance == ComplaintInstance.SECOND and case.kind != CaseKind.COMPLAINT:
        message = _("Only a complaint (khiếu nại) is decided a second time.")
        raise CaseRejected(message, {"instance": message})
    if case.kind in NAMED_KINDS and not case.contact_name:
        message = _("A complaint or denunciation must give the person's name.")
        raise CaseRejected(message, {"kind": message})
    deadline_fields = ["accept_due_on", "answer_due_on", "transfer_due_on", "due_on"]
    apply_deadlines(case)
    # The dossiers it named and those it names now: QĐ 766's "with a PAKN" follows (below,
    # once the case is saved).
    links = set()
    if {"kind", "unit", "dossier_code"} & set(fields):
        links = links_before | (pakn_links(case) if case.kind == CaseKind.PAKN else set())
    case = commit_change(
        case,
        actor=actor,
        verb="update",
        fields=[*fields, *deadline_fields],
        before=before,
        event_kind=CaseEventKind.EDIT,
        text=changed_labels(fields),
        is_public=False,
    )
    dossiers_pakn_refresh(links)
    return case


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
    before = values_before(case, fields)
    case.rating = rating
    case.rating_comment = normalize_text(comment)[:2000]
    case.rated_at = timezone.now()
    from_status = case.status
    if rating != HandlingRating.NOT_SATISFIED and case.status == CaseStatus.ANSWERED:
        case.status = CaseStatus.CLOSED
        case.closed_at = case.rated_at
    case = commit_change(
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
