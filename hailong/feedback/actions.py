"""Which workflow actions a person may take on a case now: what the case page offers. The
services check the same rules again when the action is posted."""

from __future__ import annotations

from hailong.feedback.models import OPEN_STATUSES, Case, CaseStatus
from hailong.feedback.permissions import HANDLE, TRIAGE
from hailong.organisation.models import Staff
from hailong.organisation.permissions import has_role

# action -> (statuses it applies to, roles allowed)
ACTIONS: dict[str, tuple[tuple[str, ...], set[str]]] = {
    "accept": ((CaseStatus.RECEIVED,), TRIAGE),
    "refuse": ((CaseStatus.RECEIVED,), TRIAGE),
    "assign": ((CaseStatus.ACCEPTED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS), TRIAGE),
    "start": ((CaseStatus.ASSIGNED,), HANDLE),
    "answer": ((CaseStatus.ACCEPTED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS), HANDLE),
    "return": ((CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS), HANDLE),
    "transfer": (
        (CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS),
        TRIAGE,
    ),
    "close": ((CaseStatus.ANSWERED, CaseStatus.REFUSED), TRIAGE),
    "reopen": ((CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.REFUSED), TRIAGE),
    "reply": (tuple(OPEN_STATUSES), HANDLE),
    "note": (tuple(CaseStatus.values), HANDLE),
    "attach": ((*OPEN_STATUSES, CaseStatus.ANSWERED), HANDLE),
    "update": (tuple(OPEN_STATUSES), TRIAGE),
}


def actions_of_role(staff: Staff) -> set[str]:
    """Every action this person's role allows, whatever the case's status."""
    return {name for name, (_statuses, roles) in ACTIONS.items() if has_role(staff, roles)}


def available_actions(staff: Staff, case: Case) -> set[str]:
    return {
        name
        for name, (statuses, roles) in ACTIONS.items()
        if case.status in statuses and has_role(staff, roles)
    }
