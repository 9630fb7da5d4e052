"""The leaders' dashboard (HD.07 step 3): filters, figures, charts and their downloads."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hailong.analytics import charts
from hailong.analytics.dashboard import (
    DEFAULT_QUESTIONNAIRE,
    TABLES,
    dashboard,
    sipas_questionnaires,
    table,
)
from hailong.analytics.forms import DashboardFilterForm
from hailong.analytics.selectors import Slice
from hailong.core.audit import audit_record
from hailong.core.formula_guard import formula_guard
from hailong.core.periods import PeriodKind, period_filter
from hailong.core.xlsx_stream import Sheet, Styled, xlsx_stream
from hailong.feedback.services import local_today
from hailong.organisation.models import Service
from hailong.organisation.permissions import role_required
from hailong.surveys.permissions import ALL_STAFF
from hailong.surveys.selectors.campaigns import campaigns_visible_to

# Every staff role: like the response list and the case statistics, each person sees the
# figures of their own scope (a unit officer their units and their procedures).
DASHBOARD_ROLES = ALL_STAFF
FORMATS = ("xlsx", "csv")


def _slice_from(request, form, questionnaires) -> tuple[Slice | None, list[str], str]:
    """The filter's slice, the errors to show, and the period as typed. A unit or campaign
    outside the person's scope is a 404, as on every other page."""
    raw_period = request.GET.get("period", "")
    period, period_error = period_filter(raw_period, default=PeriodKind.QUARTER)
    errors = [period_error] if period_error else []
    data = form.data
    for name in ("unit", "campaign"):
        raw = data.get(name, "")
        if raw and raw not in {str(value) for value, _label in form.fields[name].choices}:
            raise Http404
    if not form.is_valid():
        errors += [str(e) for field_errors in form.errors.values() for e in field_errors]
        return None, errors, raw_period
    cleaned = form.cleaned_data
    scope = request.scope
    unit = scope.units().get(pk=cleaned["unit"]) if cleaned["unit"] else None
    campaign = (
        campaigns_visible_to(scope).get(pk=cleaned["campaign"]) if cleaned["campaign"] else None
    )
    service_ids = None
    if cleaned["procedure"]:
        service = Service.objects.filter(code=cleaned["procedure"].strip()).first()
        if service is None:
            errors.append(_("No procedure has the code %(code)s.") % {"code": cleaned["procedure"]})
        else:
            service_ids = frozenset({service.pk})
    field = None
    if cleaned["field"]:
        field = form.field_objects.get(cleaned["field"])
    if errors:
        return None, errors, raw_period
    codes = {q.code for q in questionnaires}
    questionnaire = cleaned["questionnaire"] or (
        DEFAULT_QUESTIONNAIRE if DEFAULT_QUESTIONNAIRE in codes else next(iter(sorted(codes)), "")
    )
    return (
        Slice(
            period=period,
            scope=scope,
            unit=unit,
            service_ids=service_ids,
            field=field,
            channel=cleaned["channel"] or None,
            questionnaire=questionnaire or None,
            campaign=campaign,
        ),
        [],
        raw_period if raw_period.strip() else period.code,
    )


def _share(value):
    return None if value is None else float(value)


def _charts(board):
    points = [
        charts.Point(
            label=f"{row.key:%m/%y}",
            value=_share(row.figure.index),
            low=row.figure.ci_low,
            high=row.figure.ci_high,
            count=row.responses,
            sufficient=row.figure.sufficient,
        )
        for row in board.trend
    ]
    bars = [
        charts.Bar(
            label=row.label,
            value=_share(row.figure.index),
            low=row.figure.ci_low,
            high=row.figure.ci_high,
            sufficient=row.figure.sufficient,
        )
        for row in board.units
    ]
    return {
        "trend": charts.trend_svgs(points, label=_("SIPAS index and responses by month")),
        "units": charts.bars_svg(bars, label=_("SIPAS index by unit")) if bars else "",
    }


class _Echo:
    def write(self, value):
        return value


def _page_filters(request, board) -> dict[str, str]:
    """The page's filters as its links carry them (the period as its code), without the file."""
    query = {k: v for k, v in request.GET.items() if k not in ("download", "format") and v}
    if board is not None:
        query["period"] = board.slice.period.code
    return query


def _download(board, name: str, file_format: str):
    heads, rows = table(board, name)
    title = str(TABLES[name])
    note = f"{title} · {board.slice.period.label}"
    stamp = f"{board.slice.period.code}".replace("..", "_")
    filename = f"tong-hop-{name}-{stamp}.{file_format}"
    if file_format == "xlsx":
        sheet = Sheet(rows=[Styled([note], "note"), Styled(heads, "bold"), *rows], frozen_rows=2)
        response = StreamingHttpResponse(
            xlsx_stream([title[:31]], [sheet]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        writer = csv.writer(_Echo())

        def cell(value):
            if hasattr(value, "isoformat"):
                return value.strftime("%d/%m/%Y %H:%M")
            return formula_guard(value) if isinstance(value, str) else value

        lines = ["\ufeff", writer.writerow([cell(h) for h in heads])]
        lines += [writer.writerow([cell(c) for c in row]) for row in rows]
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(DASHBOARD_ROLES)
@require_GET
def dashboard_view(request):
    questionnaires = sipas_questionnaires()
    form = DashboardFilterForm(request.GET, scope=request.scope, questionnaires=questionnaires)
    slice_, errors, period_text = _slice_from(request, form, questionnaires)
    board = None
    if slice_ is not None:
        board = dashboard(slice_, staff=request.user, today=local_today())
        name = request.GET.get("download", "")
        if name:
            file_format = request.GET.get("format", "xlsx")
            if name not in TABLES or file_format not in FORMATS:
                raise Http404
            # Figures leave the app in a file: the log says who took which table, as filtered.
            audit_record(
                actor=request.user,
                action="dashboard.export",
                after={
                    "table": name,
                    "format": file_format,
                    "filters": _page_filters(request, board),
                },
            )
            return _download(board, name, file_format)
    query = _page_filters(request, board)
    return render(
        request,
        "analytics/dashboard.html",
        {
            "form": form,
            "errors": errors,
            "period_text": period_text,
            "board": board,
            "charts": _charts(board) if board else {},
            "query": urlencode(query),
            "tables": TABLES,
            "now": timezone.now(),
        },
    )
