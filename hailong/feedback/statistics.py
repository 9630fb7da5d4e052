"""Statistics of cases for a period, grouped by unit, kind, channel, service or month.

The database counts (GROUP BY with filtered COUNTs); only the handling times of answered cases
are read to compute the median and 90th percentile, which SQLite cannot do. Case volumes are
thousands a year, not millions, so that read stays small.

Definitions (QĐ 766/QĐ-TTg 2022, DOMAIN.md §3), over cases received in the period:
- within competence: not transferred to another agency;
- decided: answered, or still open past its deadline (a case still open within its deadline
  is not counted either way yet), or transferred under a transfer deadline;
- on time: answered on or before its answer deadline, with no deadline missed on the way
  (accepted late, or answered late before being reopened), or transferred by its deadline;
- PAKN on time = PAKN answered on time ÷ PAKN decided within competence;
- PAKN satisfaction = (PAKN − rated not satisfied − overdue) ÷ PAKN, with PAKN the decided
  PAKN within competence and overdue = answered late or open past the deadline.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from hailong.core.periods import Period
from hailong.feedback.models import OPEN_STATUSES, CaseChannel, CaseKind, CaseStatus
from hailong.feedback.selectors import cases_visible_to
from hailong.organisation.models import Service, Staff, Unit

GROUPINGS = {
    "unit": _("Unit concerned"),
    "handling_unit": _("Handling unit"),
    "kind": _("Kind"),
    "channel": _("Channel"),
    "service": _("Procedure"),
    "month": _("Month"),
}


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation between ranks (the method of
    numpy's default and of PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def pakn_satisfied_count(decided: int, unsatisfied: int, overdue: int) -> int:
    """The numerator of QĐ 766's PAKN satisfaction: PAKN − rated not satisfied − overdue
    (`unsatisfied` counts only cases not overdue, so that no case is subtracted twice).
    Shared with hailong/analytics/dossier_indices.py."""
    return max(decided - unsatisfied - overdue, 0)


@dataclass
class CaseStats:
    key: object
    label: str
    received: int = 0
    answered: int = 0
    decided: int = 0
    on_time: int = 0
    open_now: int = 0
    overdue_now: int = 0
    transferred: int = 0
    transferred_late: int = 0
    rated: int = 0
    rated_satisfied: int = 0
    pakn_decided: int = 0
    pakn_on_time: int = 0
    pakn_overdue: int = 0
    pakn_unsatisfied: int = 0
    handling_days: list[int] = field(default_factory=list, repr=False)

    @property
    def on_time_share(self) -> float | None:
        return share(self.on_time, self.decided)

    @property
    def satisfaction_share(self) -> float | None:
        return share(self.rated_satisfied, self.rated)

    @property
    def median_days(self) -> float | None:
        return _one_decimal(percentile(self.handling_days, 50))

    @property
    def p90_days(self) -> float | None:
        return _one_decimal(percentile(self.handling_days, 90))

    @property
    def pakn_on_time_ratio(self) -> float | None:
        return share(self.pakn_on_time, self.pakn_decided)

    @property
    def pakn_satisfaction_ratio(self) -> float | None:
        return share(
            pakn_satisfied_count(self.pakn_decided, self.pakn_unsatisfied, self.pakn_overdue),
            self.pakn_decided,
        )


def _conditions(today: date) -> dict[str, Q]:
    # With a legal deadline (an answer deadline, or an acceptance deadline not yet followed by
    # one: a complaint never accepted in time counts as late) and not sent elsewhere.
    competent = ~Q(status=CaseStatus.TRANSFERRED) & (
        Q(answer_due_on__isnull=False) | Q(accept_due_on__isnull=False)
    )
    answered = Q(answered_on__isnull=False)
    late_open = Q(status__in=OPEN_STATUSES, due_on__lt=today)
    competent_decided = competent & (answered | late_open)
    # On time: answered by the deadline and no deadline missed on the way (a late acceptance,
    # or a late first answer before a reopening).
    on_time = competent & answered & Q(answered_on__lte=F("answer_due_on"), missed_deadline=False)
    overdue = competent & ((answered & ~on_time) | late_open)
    # A transfer with a legal period (NĐ 20/2008 art. 9: 5 working days) is the agency's
    # handling of the case: on time when sent on by its deadline, late otherwise. It counts in
    # the agency's own timeliness; QĐ 766's PAKN ratios stay "within competence" only.
    timed_transfer = Q(status=CaseStatus.TRANSFERRED, transfer_due_on__isnull=False)
    # The SQL form of `deadlines.transfer_days_late(...) > 0` (which the case page shows).
    transfer_late = timed_transfer & (
        Q(transferred_on__gt=F("transfer_due_on")) | Q(missed_deadline=True)
    )
    transfer_on_time = timed_transfer & ~transfer_late
    pakn = Q(kind=CaseKind.PAKN)
    return {
        "received": Q(),
        "answered": answered,
        "decided": competent_decided | timed_transfer,
        "on_time": on_time | transfer_on_time,
        "open_now": Q(status__in=OPEN_STATUSES),
        "overdue_now": late_open,
        "transferred": Q(status=CaseStatus.TRANSFERRED),
        "transferred_late": transfer_late,
        "rated": Q(rating__isnull=False),
        "rated_satisfied": Q(rating__gte=2),
        "pakn_decided": pakn & competent_decided,
        "pakn_on_time": pakn & on_time,
        "pakn_overdue": pakn & overdue,
        # Rated not satisfied but not overdue, so that no case is subtracted twice.
        "pakn_unsatisfied": pakn & competent_decided & Q(rating=1) & ~overdue,
    }


def _group_expression(grouping: str):
    return {
        "unit": F("unit_id"),
        "handling_unit": F("handling_unit_id"),
        "kind": F("kind"),
        "channel": F("channel"),
        "service": F("service_id"),
        "month": TruncMonth("received_on"),
    }[grouping]


def _labels(grouping: str, keys) -> dict:
    if grouping == "kind":
        return {k: str(CaseKind(k).label) for k in keys if k in CaseKind.values}
    if grouping == "channel":
        return {k: str(CaseChannel(k).label) for k in keys if k in CaseChannel.values}
    if grouping in ("unit", "handling_unit"):
        return {u.pk: u.name for u in Unit.objects.filter(pk__in=keys)}
    if grouping == "service":
        return {s.pk: f"{s.code} {s.name}" for s in Service.objects.filter(pk__in=keys)}
    return {k: f"{k:%m/%Y}" if k else "" for k in keys}


def case_statistics(
    staff: Staff, *, period: Period, grouping: str, today: date, filters: dict | None = None
) -> tuple[list[CaseStats], CaseStats]:
    """Rows by `grouping` and the total, for the cases `staff` may see received in `period`."""
    cases = cases_visible_to(staff).filter(
        received_on__gte=period.first_day, received_on__lt=period.end_day, **(filters or {})
    )
    conditions = _conditions(today)
    counts = {name: Count("pk", filter=condition) for name, condition in conditions.items()}
    grouped = (
        cases.annotate(group=_group_expression(grouping))
        .values("group")
        .annotate(**counts)
        .order_by("group")
    )
    rows: dict[object, CaseStats] = {}
    for record in grouped:
        stats = CaseStats(key=record["group"], label="")
        for name in conditions:
            setattr(stats, name, record[name])
        rows[record["group"]] = stats
    total = CaseStats(key=None, label=str(_("Total")))
    for name in conditions:
        setattr(total, name, sum(getattr(r, name) for r in rows.values()))

    durations: dict[object, list[int]] = defaultdict(list)
    for group, received_on, answered_on in (
        cases.filter(answered_on__isnull=False)
        .annotate(group=_group_expression(grouping))
        .values_list("group", "received_on", "answered_on")
    ):
        durations[group].append((answered_on - received_on).days)
    for group, days in durations.items():
        if group in rows:
            rows[group].handling_days = days
        total.handling_days.extend(days)

    labels = _labels(grouping, [k for k in rows if k is not None])
    for key, stats in rows.items():
        stats.label = labels.get(key, "") if key is not None else str(_("(none)"))
    ordered = sorted(rows.values(), key=lambda r: (-r.received, r.label))
    if grouping == "month":
        ordered = sorted(rows.values(), key=lambda r: r.key or date.min)
    return ordered, total
