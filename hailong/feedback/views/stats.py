"""Case statistics for leaders and the quality secretary: volume, timeliness, handling time
and satisfaction with the handling, with the QĐ 766 ratios."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from hailong.core.periods import PeriodKind, period_box_text, period_filter
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
    period, period_error = period_filter(raw_period, default=PeriodKind.YEAR)
    grouping = request.GET.get("by", "unit")
    if grouping not in GROUPINGS:
        grouping = "unit"
    filters = {}
    kind = request.GET.get("kind", "")
    if kind in CaseKind.values:
        filters["kind"] = kind
    rows, total = [], None
    if period is not None:
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
            "period_text": period_box_text(raw_period, period),
            "grouping": grouping,
            "groupings": GROUPINGS.items(),
            "kind": kind,
            "kinds": kinds_visible_to(request.user),
        },
    )
