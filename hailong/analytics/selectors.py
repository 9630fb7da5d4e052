"""Reading the rollups: counts of answers for a slice of the data, as plain dicts that the
indices (pure functions) take.

A read picks the coarsest table that has the slice's dimensions: the whole months of the
period from AnswerMonthUnit (no procedure filter, a scope that sees every unit) or AnswerMonth (a
procedure or field filter, or a unit officer's scope, which takes in the procedures their units
are responsible for), and the days at the edges of a custom range from AnswerDay. Subtrees
(Unit.path), a procedure's field (Service.field), responsible units (Service.units) and item
codes (Item.code, stable across versions) are resolved at read time, so a unit moved in the
tree is read where it now is, with its history.

Every reader costs a fixed number of SQL queries whatever the data size: at most two reads of
the rollups (the months, the edge days) and one look-up of the codes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Q, Subquery, Sum

from hailong.analytics.models import RESPONSES_ITEM, AnswerDay, AnswerMonth, AnswerMonthUnit
from hailong.analytics.rollups import next_month
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
        seen = Q(unit_id__in=Unit.objects.filter(scope.unit_filter()).values("pk"))
        q &= seen | Q(service_id__in=scope.responsible_services())
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


def _parts(slice_: Slice, dim: str | None) -> list[_Part]:
    """The reads covering the period: whole months from a month table, the other days (at
    most two runs, one read) from AnswerDay."""
    first, end = slice_.period.first_day, slice_.period.end_day
    whole_first = first if first.day == 1 else next_month(first.replace(day=1))
    whole_end = end.replace(day=1)
    if dim == "day" or whole_first >= whole_end:
        return [_Part(AnswerDay, "day", Q(day__gte=first, day__lt=end))]
    model = AnswerMonth if _needs_service(slice_, dim) else AnswerMonthUnit
    parts = [_Part(model, "month", Q(month__gte=whole_first, month__lt=whole_end))]
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


def _rows(slice_: Slice, dim: str | None, *, by: tuple[str, ...]):
    """(dimension key or None, *by, count) rows summed over the period's parts."""
    where = _filter(slice_)
    for part in _parts(slice_, dim):
        group = list(by)
        if dim in ("month", "day"):
            group.insert(0, part.time)
        elif dim is not None:
            group.insert(0, _COLUMN[dim])
        rows = (
            part.model.objects.filter(part.when, where)
            .order_by()
            .values_list(*group)
            .annotate(n=Sum("count"))
        )
        for row in rows:
            if dim is None:
                yield (None, *row)
            elif dim == "month":
                yield (row[0].replace(day=1), *row[1:])
            else:
                yield row


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
    rows = list(_rows(slice_, dim, by=("item_id", "state", "value")))
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
    """{item code: {option code: count}} of the choice answers (the kiosk's reasons, what
    should improve first), "không áp dụng" left out."""
    rows = [
        row
        for row in _rows(slice_, None, by=("item_id", "option_id"))
        if row[2]  # option 0: not a choice
    ]
    codes = _item_codes({row[1] for row in rows})
    options = dict(
        Option.objects.filter(pk__in=sorted({row[2] for row in rows})).values_list("pk", "code")
    )
    result: dict = defaultdict(lambda: defaultdict(int))
    for _key, item_id, option_id, n in rows:
        if item_id in codes and option_id in options:
            result[codes[item_id]][options[option_id]] += n
    return {code: dict(c) for code, c in result.items()}
