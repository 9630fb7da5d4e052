"""Reading the rollups: counts of answers for a slice of the data, as plain dicts that the
indices (pure functions) take.

A read picks the coarsest table that has the slice's dimensions. The whole months of the
period, for a scope that sees every unit: ScorePeriodUnit (no channel, campaign or procedure),
ScorePeriodService (a procedure or field, no unit filter or breakdown), each read as whole
years, then quarters, then months (a year is one period's rows); ScoreMonth when a channel or
campaign is asked for. Else ScoreMonthService (a procedure or field with a unit, or a unit
officer's scope, which takes in the procedures their units are responsible for) unless a
channel or campaign is asked for too, else AnswerMonth, which has everything; the days at the
edges of a custom range from AnswerDay. Subtrees (Unit.path), a procedure's field
(Service.field), responsible units (Service.units) and item codes (Item.code, stable across
versions) are resolved at read time, so a unit moved in the tree is read where it now is, with
its history.

Every reader costs a fixed number of SQL queries whatever the data size: at most three reads of
the rollups (the months, the values outside 1–5 that a score table does not keep apart, the
edge days) and one look-up of the codes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Q, Subquery, Sum

from hailong.analytics.models import (
    GRAIN_MONTH,
    GRAIN_QUARTER,
    GRAIN_YEAR,
    RESPONSES_ITEM,
    SCORED_VALUES,
    STATE_NO_VALUE,
    STATE_NOT_APPLICABLE,
    STATE_VALUE,
    AnswerDay,
    AnswerMonth,
    OptionMonth,
    ScoreMonth,
    ScoreMonthService,
    ScorePeriodService,
    ScorePeriodUnit,
)
from hailong.analytics.rollups import next_month, period_end, period_start
from hailong.core.periods import Period, PeriodKind, custom, month, quarter, year_period
from hailong.organisation.models import Service, ServiceField, Unit
from hailong.organisation.scope import Scope
from hailong.surveys.models import Campaign, Item, Option, QuestionnaireVersion

# The key of `item_counts` under which the number of responses is: {(0, 0): n}. No item has an
# empty code.
RESPONSES = ""

# Counts of one item: {(state, value): count}; state 0 = a value, 1 = không áp dụng, 2 =
# answered without a value (models.STATE_*).
ItemCounts = dict[tuple[int, int], int]

DIMENSIONS = ("unit", "service", "field", "channel", "campaign", "version", "month", "day")


@dataclass(frozen=True)
class Slice:
    """What to count: a period, within what a person may see (`scope`), optionally narrowed
    to a unit's subtree (responses given there), procedures or a field, a channel, a
    questionnaire (by code, over all its versions) or a campaign."""

    period: Period
    scope: Scope
    unit: Unit | None = None
    service_ids: frozenset[int] | None = None
    field: ServiceField | None = None
    channel: str | None = None
    questionnaire: str | None = None
    campaign: Campaign | None = None

    def previous(self) -> Slice:
        return replace(self, period=self.period.previous())

    def year_before(self) -> Slice:
        return replace(self, period=year_before(self.period))


def year_before(period: Period) -> Period:
    """The same period a year earlier (29 February → 28 February for a range)."""
    first = period.first_day
    if period.kind == PeriodKind.MONTH:
        return month(first.year - 1, first.month)
    if period.kind == PeriodKind.QUARTER:
        return quarter(first.year - 1, (first.month - 1) // 3 + 1)
    if period.kind == PeriodKind.YEAR:
        return year_period(first.year - 1)

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return custom(back(first), back(period.last_day))


def _needs_service(slice_: Slice, dim: str | None) -> bool:
    return (
        not slice_.scope.sees_every_unit
        or slice_.service_ids is not None
        or slice_.field is not None
        or dim in ("service", "field")
    )


def _filter(slice_: Slice) -> Q:
    """The slice's filter on a rollup table (without its period)."""
    q = Q()
    scope = slice_.scope
    if not scope.sees_every_unit:
        # The rule of the raw responses (Scope.responses_rule) on the counts' keys.
        q &= scope.responses_rule()
    if slice_.unit is not None:
        # The unit's path as it is now, read in the same query: a unit moved since the object
        # was loaded is counted where it now is.
        path = Unit.objects.filter(pk=slice_.unit.pk).values("path")[:1]
        q &= Q(unit_id__in=Unit.objects.filter(path__startswith=Subquery(path)).values("pk"))
    if slice_.service_ids is not None:
        q &= Q(service_id__in=sorted(slice_.service_ids))
    if slice_.field is not None:
        q &= Q(service_id__in=Service.objects.filter(field_id=slice_.field.pk).values("pk"))
    if slice_.channel:
        q &= Q(channel=slice_.channel)
    if slice_.questionnaire:
        versions = QuestionnaireVersion.objects.filter(questionnaire__code=slice_.questionnaire)
        q &= Q(version_id__in=versions.values("pk"))
    if slice_.campaign is not None:
        q &= Q(campaign_id=slice_.campaign.pk)
    return q


@dataclass(frozen=True)
class _Part:
    model: type
    time: str  # the model's time column
    when: Q
    months: Q | None = None  # the months on AnswerMonth (values outside 1–5 read exactly)


SCORE_MODELS = (ScoreMonth, ScoreMonthService, ScorePeriodUnit, ScorePeriodService)


def _month_model(slice_: Slice, dim: str | None, *, options: bool = False) -> type:
    """The coarsest table with the slice's dimensions (see the module's comment)."""
    if not _needs_service(slice_, dim):
        if options:
            return OptionMonth
        if slice_.channel or slice_.campaign is not None or dim in ("channel", "campaign"):
            return ScoreMonth
        return ScorePeriodUnit
    if options or slice_.channel or slice_.campaign is not None or dim in ("channel", "campaign"):
        return AnswerMonth
    if slice_.scope.sees_every_unit and slice_.unit is None and dim != "unit":
        return ScorePeriodService
    return ScoreMonthService


def _whole_periods(first: date, end: date, *, months_only: bool) -> dict[int, list[date]]:
    """The whole months [first, end) as the fewest periods, {grain: starts}: whole years, then
    whole quarters, then months (`months_only`: months, for a monthly breakdown)."""
    found: dict[int, list[date]] = defaultdict(list)
    cursor = first
    while cursor < end:
        for grain in (GRAIN_YEAR, GRAIN_QUARTER, GRAIN_MONTH):
            if months_only and grain != GRAIN_MONTH:
                continue
            if period_start(cursor, grain) == cursor and period_end(cursor, grain) <= end:
                found[grain].append(cursor)
                cursor = period_end(cursor, grain)
                break
    return dict(found)


def _parts(slice_: Slice, dim: str | None, *, options: bool = False) -> list[_Part]:
    """The reads covering the period: whole months from a month table (a period table: whole
    years, quarters and months, one read), the other days (at most two runs, one read) from
    AnswerDay."""
    first, end = slice_.period.first_day, slice_.period.end_day
    whole_first = first if first.day == 1 else next_month(first.replace(day=1))
    whole_end = end.replace(day=1)
    if dim == "day" or whole_first >= whole_end:
        return [_Part(AnswerDay, "day", Q(day__gte=first, day__lt=end))]
    model = _month_model(slice_, dim, options=options)
    months = Q(month__gte=whole_first, month__lt=whole_end)
    if model in (ScorePeriodUnit, ScorePeriodService):
        when = Q()
        for grain, starts in _whole_periods(
            whole_first, whole_end, months_only=dim == "month"
        ).items():
            when |= Q(grain=grain, start__in=starts)
        parts = [_Part(model, "start", when, months)]
    else:
        parts = [_Part(model, "month", months, months)]
    edges = Q()
    if first < whole_first:
        edges |= Q(day__gte=first, day__lt=whole_first)
    if whole_end < end:
        edges |= Q(day__gte=whole_end, day__lt=end)
    if edges:
        parts.append(_Part(AnswerDay, "day", edges))
    return parts


_COLUMN = {
    "unit": "unit_id",
    "service": "service_id",
    "field": "service_id",
    "channel": "channel",
    "campaign": "campaign_id",
    "version": "version_id",
}
_SCORE_SUMS = {
    "n": Sum("count"),
    "na": Sum("not_applicable"),
    **{f"v{v}": Sum(f"v{v}") for v in SCORED_VALUES},
    "other": Sum("other"),
}


def _group(part: _Part, dim: str | None) -> list[str]:
    if dim in ("month", "day"):
        return [part.time]
    if dim is not None:
        return [_COLUMN[dim]]
    return []


def _keyed(dim: str | None, row: tuple) -> tuple:
    """(dimension key or None, *rest) of a row grouped by `_group`."""
    if dim is None:
        return (None, *row)
    if dim == "month":
        return (row[0].replace(day=1), *row[1:])
    return row


def _value_rows(slice_: Slice, dim: str | None):
    """(dimension key or None, item, state, value, count) rows summed over the period's parts;
    a score table's columns are turned back into rows."""
    where = _filter(slice_)
    for part in _parts(slice_, dim):
        group = _group(part, dim)
        rows = part.model.objects.filter(part.when, where).order_by()
        if part.model not in SCORE_MODELS:
            for row in rows.values_list(*group, "item_id", "state", "value").annotate(
                n=Sum("count")
            ):
                yield _keyed(dim, row)
            continue
        others = set()
        for row in rows.values_list(*group, "item_id").annotate(**_SCORE_SUMS):
            key, item_id, n, na, *scored, other = _keyed(dim, row)
            if item_id == RESPONSES_ITEM:
                yield (key, item_id, STATE_VALUE, 0, n)
                continue
            for value, count in zip(SCORED_VALUES, scored, strict=True):
                if count:
                    yield (key, item_id, STATE_VALUE, value, count)
            if na:
                yield (key, item_id, STATE_NOT_APPLICABLE, 0, na)
            if n - na - sum(scored) - other:
                yield (key, item_id, STATE_NO_VALUE, 0, n - na - sum(scored) - other)
            if other:
                others.add(item_id)
        if others:
            # Values outside 1–5 (a number, another scale) are one column there: their own
            # counts come from AnswerMonth, for those items only.
            exact = (
                AnswerMonth.objects.filter(
                    part.months, where, item_id__in=sorted(others), state=STATE_VALUE
                )
                .exclude(value__in=list(SCORED_VALUES))
                .order_by()
                .values_list(*group, "item_id", "state", "value")
                .annotate(n=Sum("count"))
            )
            for row in exact:
                yield _keyed(dim, row)


def _option_rows(slice_: Slice):
    """(None, item, option, count) rows of the choices without a value over the period."""
    where = _filter(slice_)
    for part in _parts(slice_, None, options=True):
        rows = part.model.objects.filter(part.when, where).order_by()
        if part.model is not OptionMonth:
            rows = rows.filter(state=STATE_NO_VALUE).exclude(option_id=0)
        for row in rows.values_list("item_id", "option_id").annotate(n=Sum("count")):
            yield (None, *row)


def _item_codes(item_ids) -> dict[int, str]:
    codes = dict(Item.objects.filter(pk__in=sorted(item_ids)).values_list("pk", "code"))
    codes[RESPONSES_ITEM] = RESPONSES
    return codes


def item_counts_by(slice_: Slice, dim: str | None) -> dict:
    """{dimension key: {item code: {(state, value): count}}}, the responses under RESPONSES.
    Dimensions: unit (the unit the response was given at, by id), service (id, 0 = none),
    field (id, 0 = none), channel, campaign (id, 0 = none), version (id), month (its first
    day), day. `dim` None: one key, None."""
    if dim is not None and dim not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dim!r}")
    rows = list(_value_rows(slice_, dim))
    codes = _item_codes({row[1] for row in rows})
    fields = {}
    if dim == "field":
        ids = {row[0] for row in rows}
        fields = dict(Service.objects.filter(pk__in=sorted(ids)).values_list("pk", "field_id"))
    result: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for key, item_id, state, value, n in rows:
        if dim == "field":
            key = fields.get(key) or 0
        code = codes.get(item_id)
        if code is None:  # an item deleted with its draft version: nothing to name it by
            continue
        result[key][code][(state, value)] += n
    return {key: {code: dict(c) for code, c in items.items()} for key, items in result.items()}


def item_counts(slice_: Slice) -> dict[str, ItemCounts]:
    """{item code: {(state, value): count}} over the slice, the number of responses under
    RESPONSES ({(0, 0): n}). Items of every version with the same code are added together."""
    return item_counts_by(slice_, None).get(None, {})


def response_count(slice_: Slice) -> int:
    return item_counts(slice_).get(RESPONSES, {}).get((0, 0), 0)


def option_counts(slice_: Slice) -> dict[str, dict[str, int]]:
    """{item code: {option code: count}} of the choices without a value (the kiosk's reasons,
    what should improve first), "không áp dụng" left out. A choice with a value (a SIPAS or
    3-level answer) is counted by its value in `item_counts`."""
    rows = list(_option_rows(slice_))
    codes = _item_codes({row[1] for row in rows})
    options = dict(
        Option.objects.filter(pk__in=sorted({row[2] for row in rows})).values_list("pk", "code")
    )
    result: dict = defaultdict(lambda: defaultdict(int))
    for _key, item_id, option_id, n in rows:
        if item_id in codes and option_id in options:
            result[codes[item_id]][options[option_id]] += n
    return {code: dict(c) for code, c in result.items()}
