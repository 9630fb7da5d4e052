"""Per-dossier indices: TT 01/2018/TT-VPCP and the satisfaction group of QĐ 766/QĐ-TTg (2022).

Pure functions on counts, like hailong/analytics/indices.py: the database counts dossiers and
cases, these turn the counts into figures.

**TT 01/2018** (NĐ 61/2018/NĐ-CP art. 31–32; TT 01/2018/TT-VPCP art. 12–15; DOMAIN.md §3):
nine indices, each scored 2/1/0 per dossier; an index = its points ÷ the dossiers scored, shown
with one decimal; the unit's total is the sum of the nine (at most 18) and ranks it: ≥ 15 xuất
sắc, ≥ 12 tốt, ≥ 9 khá, ≥ 6 trung bình, below yếu. Where the numbers come from:
- index 1 (total time against the legal limit) from the dossier register's dates
  (`Dossier.time_score`: 2 returned before the due day, 1 on it, 0 after), for every returned
  dossier with a due date, without asking anybody;
- all nine from the answers of the built-in `tt01` questionnaire (items CS1…CS9, option values
  2/1/0), where a unit has dossiers evaluated with it. Index 1 from the register, when it has
  dossiers, is used instead of CS1: the dates are facts, the answer a recollection.
- From the register alone indices 2–9 cannot be computed: it holds the dossier's receipt, due
  and return dates, not the time spent at each unit on the way (2), the contacts and agencies
  needed to complete it (3, 4), whether it went through the one-stop desk (5), whether the
  procedure was published (6), the staff's attitude (7), or whether the online channel was
  whole-process or partial (9: `Dossier.channel` says only "online"); cases carry a dossier
  code, but the circular's points for a dossier without any PAKN are not in our sources (8).
- Rank (our decision): only when all nine indices have at least the minimum sample of dossiers
  (HAILONG_MIN_SAMPLE). Otherwise the indices that can be computed are shown, and the unit is
  "not ranked" with the indices missing or short: a total over fewer indices would be measured
  against thresholds made for nine, and a scaled total would rank on indices nobody measured.
  The total is the sum of the indices as shown (one decimal), so that the page adds up by hand.

**QĐ 766/QĐ-TTg** group "Mức độ hài lòng" (DOMAIN.md §3), each a share with its Wilson
interval (indices.share):
- PAKN on time and PAKN satisfaction: the counts and definitions of the case statistics
  (hailong/feedback/statistics.py: `CaseStats.pakn_decided`, `pakn_on_time`, `pakn_overdue`,
  `pakn_unsatisfied`); `qd766_pakn_from_stats` takes a CaseStats as it is.
- TTHC satisfaction = (dossiers − rated unsatisfied − with a PAKN − overdue) ÷ dossiers. The
  caller passes the three deductions as disjoint counts, so that no dossier is subtracted twice
  (as `pakn_unsatisfied` excludes overdue cases): overdue = returned after its due day (or still
  open past it); with a PAKN = not overdue, with a PAKN about it; rated unsatisfied = neither,
  with a response rated unsatisfied (hailong/feedback/loop.py UNSATISFIED_AT_MOST: 1–2 on the
  5-point scale, 1 on the 3-level rating).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import pgettext_lazy

from hailong.analytics.indices import Figure, resolve_min_sample, round_half_up, share
from hailong.feedback.statistics import CaseStats, pakn_satisfied_count

TT01_INDICES = tuple(range(1, 10))
TT01_POINTS = frozenset({0, 1, 2})
# The item of the built-in tt01 questionnaire (hailong/surveys/builtin/tt01.json) per index.
TT01_ITEMS = {number: f"CS{number}" for number in TT01_INDICES}
# Indices 2–9 need the tt01 questionnaire: the register gives index 1 only (module docstring).
TT01_FROM_REGISTER = frozenset({1})


class Tt01Rank(StrEnum):
    EXCELLENT = "xuat_sac"
    GOOD = "tot"
    FAIR = "kha"
    AVERAGE = "trung_binh"
    WEAK = "yeu"

    @property
    def label(self) -> str:
        return str(TT01_RANK_LABELS[self])


TT01_RANK_LABELS = {
    Tt01Rank.EXCELLENT: pgettext_lazy("TT 01 rank", "Excellent"),
    Tt01Rank.GOOD: pgettext_lazy("TT 01 rank", "Good"),
    Tt01Rank.FAIR: pgettext_lazy("TT 01 rank", "Fairly good"),
    Tt01Rank.AVERAGE: pgettext_lazy("TT 01 rank", "Average"),
    Tt01Rank.WEAK: pgettext_lazy("TT 01 rank", "Weak"),
}
# TT 01/2018: the lowest total of each rank, the best first.
TT01_THRESHOLDS = (
    (Decimal(15), Tt01Rank.EXCELLENT),
    (Decimal(12), Tt01Rank.GOOD),
    (Decimal(9), Tt01Rank.FAIR),
    (Decimal(6), Tt01Rank.AVERAGE),
)


def tt01_rank(total: Decimal) -> Tt01Rank:
    """The rank of a unit's total over the nine indices (0–18)."""
    for lowest, rank in TT01_THRESHOLDS:
        if total >= lowest:
            return rank
    return Tt01Rank.WEAK


@dataclass(frozen=True)
class Tt01Figure:
    number: int  # 1–9
    n: int  # dossiers scored
    points: int
    index: Fraction | None  # points ÷ dossiers, 0–2
    sufficient: bool
    source: str  # "register" or "answers"

    @property
    def shown(self) -> Decimal | None:
        """The index as published: one decimal, half up."""
        return None if self.index is None else round_half_up(self.index, 1)


def tt01_index(
    number: int, scores: Mapping[int, int], *, source: str, min_sample: int | None = None
) -> Tt01Figure:
    """One TT 01/2018 index from its dossiers per score {2, 1, 0: count}."""
    unknown = set(scores) - TT01_POINTS
    if unknown:
        raise ValueError(f"TT 01 index {number}: points outside 0–2: {sorted(unknown)}")
    n = sum(scores.values())
    points = sum(score * count for score, count in scores.items())
    return Tt01Figure(
        number=number,
        n=n,
        points=points,
        index=Fraction(points, n) if n else None,
        sufficient=n >= resolve_min_sample(min_sample),
        source=source,
    )


@dataclass(frozen=True)
class Tt01Result:
    indices: dict[int, Tt01Figure]  # only the indices the data allow, by number
    total: Decimal | None  # sum of the shown indices, when ranked
    rank: Tt01Rank | None  # None: not ranked (see missing and insufficient)
    missing: tuple[int, ...]  # indices without any dossier scored
    insufficient: tuple[int, ...]  # indices below the minimum sample


def tt01_indices(
    *,
    time_scores: Mapping[int, int] | None = None,
    answers: Mapping[str, Mapping[int | None, int]] | None = None,
    min_sample: int | None = None,
) -> Tt01Result:
    """A unit's TT 01/2018 indices and rank from the register's index 1 scores
    {Dossier.time_score: dossiers} and/or the tt01 questionnaire's answers
    {"CS1"…"CS9": {value or None (unanswered, ignored): count}}."""
    minimum = resolve_min_sample(min_sample)
    answers = answers or {}
    indices: dict[int, Tt01Figure] = {}
    for number in TT01_INDICES:
        figure = None
        if number in TT01_FROM_REGISTER and time_scores and sum(time_scores.values()):
            figure = tt01_index(number, time_scores, source="register", min_sample=minimum)
        else:
            counted = {
                value: count
                for value, count in answers.get(TT01_ITEMS[number], {}).items()
                if value is not None
            }
            if sum(counted.values()):
                figure = tt01_index(number, counted, source="answers", min_sample=minimum)
        if figure is not None:
            indices[number] = figure
    missing = tuple(number for number in TT01_INDICES if number not in indices)
    insufficient = tuple(number for number, figure in indices.items() if not figure.sufficient)
    if missing or insufficient:
        return Tt01Result(indices, None, None, missing, insufficient)
    total = sum((figure.shown for figure in indices.values()), Decimal(0))
    return Tt01Result(indices, total, tt01_rank(total), (), ())


# ---- QĐ 766 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Qd766Pakn:
    on_time: Figure  # PAKN handled on time ÷ PAKN decided within competence
    satisfaction: Figure  # (PAKN − rated unsatisfied − overdue) ÷ PAKN


def qd766_pakn(
    *,
    decided: int,
    on_time: int,
    unsatisfied: int,
    overdue: int,
    alpha: float = 0.05,
    min_sample: int | None = None,
) -> Qd766Pakn:
    """The PAKN ratios of QĐ 766 from the case statistics' counts (definitions in
    hailong/feedback/statistics.py: `unsatisfied` excludes overdue cases)."""
    return Qd766Pakn(
        on_time=share(on_time, decided, code="pakn_on_time", alpha=alpha, min_sample=min_sample),
        satisfaction=share(
            pakn_satisfied_count(decided, unsatisfied, overdue),
            decided,
            code="pakn_satisfaction",
            alpha=alpha,
            min_sample=min_sample,
        ),
    )


def qd766_pakn_from_stats(
    stats: CaseStats, *, alpha: float = 0.05, min_sample: int | None = None
) -> Qd766Pakn:
    """`qd766_pakn` of a row (or the total) of `case_statistics`."""
    return qd766_pakn(
        decided=stats.pakn_decided,
        on_time=stats.pakn_on_time,
        unsatisfied=stats.pakn_unsatisfied,
        overdue=stats.pakn_overdue,
        alpha=alpha,
        min_sample=min_sample,
    )


def tthc_satisfaction(
    *,
    dossiers: int,
    unsatisfied: int,
    with_pakn: int,
    overdue: int,
    alpha: float = 0.05,
    min_sample: int | None = None,
) -> Figure:
    """QĐ 766 TTHC satisfaction = (dossiers − rated unsatisfied − with a PAKN − overdue) ÷
    dossiers, the three deductions disjoint (module docstring); ValueError when they add up to
    more dossiers than there are (they would then overlap)."""
    if min(dossiers, unsatisfied, with_pakn, overdue) < 0:
        raise ValueError("counts cannot be negative")
    satisfied = dossiers - unsatisfied - with_pakn - overdue
    if satisfied < 0:
        raise ValueError(
            f"{unsatisfied} + {with_pakn} + {overdue} dossiers deducted of {dossiers}: "
            "the deductions must not overlap"
        )
    return share(satisfied, dossiers, code="tthc_satisfaction", alpha=alpha, min_sample=min_sample)
