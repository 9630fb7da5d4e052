"""Case statistics for leaders and the quality secretary: volume, timeliness, handling time
and satisfaction with the handling, with the QĐ 766 ratios."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hailong.core.periods import PeriodKind, PeriodParseError, parse_period, period_containing
from hailong.feedback.models import CaseKind
from hailong.feedback.permissions import ALL_STAFF
from hailong.feedback.selectors import kinds_visible_to
from hailong.feedback.services import local_today
from hailong.feedback.statistics import GROUPINGS, case_statistics
from hailong.organisation.permissions import role_required


@role_required(ALL_STAFF)
@require_GET
def case_stats(request):
    raw_period = request.GET.get("period", "")
    try:
        period = parse_period(raw_period)
        period_error = ""
    except PeriodParseError as exc:
        period = period_containing(timezone.now(), PeriodKind.YEAR)
        period_error = str(exc) if raw_period else ""
    grouping = request.GET.get("by", "unit")
    if grouping not in GROUPINGS:
        grouping = "unit"
    filters = {}
    kind = request.GET.get("kind", "")
    if kind in CaseKind.values:
        filters["kind"] = kind
    rows, total = case_statistics(
        request.user, period=period, grouping=grouping, today=local_today(), filters=filters
    )
    return render(
        request,
        "feedback/case_stats.html",
        {
            "rows": rows,
            "total": total,
            "period": period,
            "period_error": period_error,
            "grouping": grouping,
            "groupings": GROUPINGS.items(),
            "kind": kind,
            "kinds": kinds_visible_to(request.user),
        },
    )
