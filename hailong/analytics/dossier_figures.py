"""The dossier register's figures for the dashboard: TT 01/2018's indices (index 1 from the
register, indices 2–9 from the answers of the tt01 questionnaire, read from the rollups) and the
unit's rank, and QĐ 766's TTHC satisfaction, for one slice of the dashboard.

One aggregate query whatever the number of dossiers (the database counts; Python only turns
counts into figures with the pure functions of hailong.analytics.dossier_indices):
- the dossiers are those *returned* in the period (returned_at in [start, end) local time),
  at a unit of the person's scope (like cases: the unit officer's units) and inside the
  filter's unit subtree; the procedure and field filters narrow them through Dossier.service
  (a dossier without a procedure drops out once one is chosen). The channel, campaign and
  questionnaire filters are about responses and do not apply to the register;
- the time score of TT 01/2018 index 1 is computed from the local dates of returned_at and
  due_at, exactly as Dossier.time_score does in Python (2 before the due day, 1 on it, 0 after
  it; no score without a due date);
- QĐ 766's three deductions are made disjoint, the first that applies: overdue (returned after
  its due day), then with a PAKN about it, then rated unsatisfied (dossier_indices docstring);
- "with a PAKN": a feedback Case of kind PAKN about the dossier's unit whose dossier_code is
  the dossier's code (compared in upper case, as the register treats codes), received at any
  time — Case has no foreign key to Dossier, the code and the unit are the link the models
  hold;
- "rated unsatisfied": a linked Response (Response.dossier) with the overall 5-point answer at
  most 2 or a 3-level rating of 1 — the dashboard's definition (dashboard.UNSATISFIED_OVERALL_MAX,
  RATING3_UNSATISFIED).

These per-dossier facts are stored on the dossier (returned_on, time_points, has_pakn,
unsatisfied_responses) and kept where what they depend on changes (hailong.analytics.
dossier_facts, which holds their SQL from scratch and the check), so the aggregate reads the
period's dossiers only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import (
    BooleanField,
    Count,
    F,
    Q,
    Value,
    When,
)
from django.db.models import Case as SqlCase

from hailong.analytics.dossier_indices import (
    TT01_ITEMS,
    TT01_POINTS,
    Tt01Result,
    tt01_indices,
    tthc_satisfaction,
)
from hailong.analytics.indices import Figure, resolve_min_sample
from hailong.analytics.models import STATE_VALUE
from hailong.analytics.selectors import Slice, item_counts
from hailong.surveys.models import Dossier


@dataclass(frozen=True)
class DossierCounts:
    returned: int  # dossiers returned in the period
    scored: int  # of them, with a due date (TT 01 index 1 scored)
    score_2: int
    score_1: int
    score_0: int
    overdue: int  # = score_0
    with_pakn: int  # not overdue, with a PAKN about it
    unsatisfied: int  # neither, rated unsatisfied

    @property
    def time_scores(self) -> dict[int, int]:
        return {2: self.score_2, 1: self.score_1, 0: self.score_0}


@dataclass(frozen=True)
class DossierFigures:
    counts: DossierCounts
    tt01: Tt01Result
    tthc: Figure  # QĐ 766 TTHC satisfaction


def dossiers_of(slice_: Slice):
    """The register's dossiers of the slice, returned in its period (see the docstring)."""
    period = slice_.period
    # returned_at in [start, end) local time is returned_on (its local date) in [first_day,
    # end_day): a period runs from local midnight to local midnight.
    dossiers = Dossier.objects.filter(
        slice_.scope.unit_filter("unit"),
        returned_on__gte=period.first_day,
        returned_on__lt=period.end_day,
    )
    if slice_.unit is not None:
        dossiers = dossiers.filter(unit__path__startswith=slice_.unit.path)
    if slice_.service_ids is not None:
        dossiers = dossiers.filter(service_id__in=sorted(slice_.service_ids))
    if slice_.field is not None:
        dossiers = dossiers.filter(service__field=slice_.field)
    return dossiers


def dossier_rows(slice_: Slice):
    """The slice's dossiers annotated with `score` (Dossier.time_score, stored as time_points)
    and `rated_unsatisfied`, beside their stored `has_pakn` (the module docstring), for one
    aggregate: the stored facts (hailong.analytics.dossier_facts), read through the
    (returned_on, unit, service, …) index, with no join to the answers or the cases."""
    return dossiers_of(slice_).annotate(
        score=F("time_points"),
        rated_unsatisfied=SqlCase(
            When(unsatisfied_responses__gt=0, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def dossier_counts(slice_: Slice) -> DossierCounts:
    """The counts of the slice's dossiers, in one query."""
    rows = dossier_rows(slice_)
    overdue = Q(score=0)
    # Not "~overdue": NOT (NULL = 0) is NULL in SQL, which would drop the undated dossiers.
    in_time = Q(score__isnull=True) | Q(score__gt=0)
    figures = rows.aggregate(
        returned=Count("pk"),
        scored=Count("pk", filter=Q(score__isnull=False)),
        score_2=Count("pk", filter=Q(score=2)),
        score_1=Count("pk", filter=Q(score=1)),
        score_0=Count("pk", filter=overdue),
        with_pakn=Count("pk", filter=in_time & Q(has_pakn=True)),
        unsatisfied=Count("pk", filter=in_time & Q(has_pakn=False, rated_unsatisfied=True)),
    )
    return DossierCounts(overdue=figures["score_0"], **figures)


# The built-in questionnaire of TT 01/2018's nine indices (hailong/surveys/builtin/tt01.json).
TT01_QUESTIONNAIRE = "tt01"


def tt01_answers(slice_: Slice) -> dict[str, dict[int, int]]:
    """The tt01 questionnaire's answers in the slice, from the rollups: {"CS1"…"CS9": {points:
    dossiers}}. The slice's own questionnaire (SIPAS on the dashboard) is replaced by tt01; its
    other filters (period, scope, unit, procedure, channel) stay."""
    counts = item_counts(replace(slice_, questionnaire=TT01_QUESTIONNAIRE, campaign=None))
    # Points outside 0–2 (an edition of the questionnaire whose options say otherwise) are not
    # TT 01 points: left out rather than let one option break the page.
    return {
        code: {
            value: n
            for (state, value), n in by_value.items()
            if state == STATE_VALUE and value in TT01_POINTS
        }
        for code, by_value in counts.items()
        if code in TT01_ITEMS.values()
    }


def dossier_figures(slice_: Slice, *, min_sample: int | None = None) -> DossierFigures:
    counts = dossier_counts(slice_)
    minimum = resolve_min_sample(min_sample)
    return DossierFigures(
        counts=counts,
        tt01=tt01_indices(
            time_scores=counts.time_scores, answers=tt01_answers(slice_), min_sample=minimum
        ),
        tthc=tthc_satisfaction(
            dossiers=counts.returned,
            unsatisfied=counts.unsatisfied,
            with_pakn=counts.with_pakn,
            overdue=counts.overdue,
            min_sample=minimum,
        ),
    )
