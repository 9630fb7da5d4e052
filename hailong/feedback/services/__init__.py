"""Every write to a case: intake and each workflow transition (see each module)."""

from hailong.feedback.services.common import (
    CaseKeyReused,
    CaseRateExceeded,
    CaseRejected,
    CaseStale,
    local_today,
    new_code,
)
from hailong.feedback.services.details import EDITABLE_FIELDS, can_be_rated, case_rate, case_update
from hailong.feedback.services.receiving import case_opening_exhausted, case_receive
from hailong.feedback.services.transitions import (
    case_accept,
    case_add_note,
    case_answer,
    case_assign,
    case_attach,
    case_close,
    case_refuse,
    case_reopen,
    case_return,
    case_start,
    case_transfer,
)

__all__ = [
    "EDITABLE_FIELDS",
    "CaseKeyReused",
    "CaseRateExceeded",
    "CaseRejected",
    "CaseStale",
    "can_be_rated",
    "case_accept",
    "case_add_note",
    "case_answer",
    "case_assign",
    "case_attach",
    "case_close",
    "case_opening_exhausted",
    "case_rate",
    "case_receive",
    "case_refuse",
    "case_reopen",
    "case_return",
    "case_start",
    "case_transfer",
    "case_update",
    "local_today",
    "new_code",
]
