"""Satisfaction indices from counts of answers: pure functions, numbers in, numbers out.

Nothing here reads the database: the rollups count (GROUP BY), these functions turn the counts
into the figures a leader reads, so that every figure can be checked against a hand-computed
example (hailong/analytics/tests/test_indices.py). DOMAIN.md §3 gives the instruments.

**Shares.** Every share is a `Figure`: `k` of `n` with its exact value (a Fraction in [0, 1])
and its 95% Wilson score interval, computed by statsmodels
(`proportion_confint(method="wilson")`, not hand-rolled). The Wilson interval stays inside
[0, 1] and does not collapse to a point at 0% or 100%: 30 satisfied answers of 30 give
[88.65%, 100%].

**Minimum sample.** Below `HAILONG_MIN_SAMPLE` (default 30) answers a figure is "chưa đủ mẫu":
it keeps its number but `sufficient` is False, and it stays out of rankings.

**SIPAS** (QĐ 1001/QĐ-BNV; the conventional method of DOMAIN.md §3):
- criterion index = answers counted as satisfied (`HAILONG_SATISFIED_VALUES`, default 4 and 5)
  ÷ valid answers 1–5; "không áp dụng" is not a valid answer and counts nowhere;
- element index = mean of its criteria; SIPAS (overall) = mean of the elements.
- Composites and small samples (our decision, stated once here): a composite is the mean of its
  *sufficient* parts; parts below the minimum are left out (named in `left_out`) so that a
  handful of answers cannot swing it. When none of its parts is sufficient it is the mean of
  the parts that have answers, and is itself insufficient. An element is sufficient when at
  least one of its criteria is. The overall is sufficient only when every element is: the
  SIPAS is the mean of the five elements, and without one of them it is shown but not ranked.
  A composite's `n` is the number of valid answers behind it (summed over the criteria used),
  not a number of respondents: the response count is reported beside it.
- Composite interval: the MOVER method (method of variance estimates recovery; Zou & Donner,
  "Construction of confidence limits about effect measures: a general approach", Statistics in
  Medicine 27, 2008; Newcombe 1998 for a difference of two proportions) applied to the Wilson
  intervals of the criteria. A composite is a weighted sum L = Σ wᵢ·pᵢ of criterion shares
  (an element: wᵢ = 1/m over its m criteria used; the overall: wᵢ = 1/(E·mₑ) over the criteria
  of the E elements used), and
      low  = L − √Σ wᵢ²·(pᵢ − lᵢ)²,     high = L + √Σ wᵢ²·(uᵢ − pᵢ)²
  with (lᵢ, uᵢ) the Wilson interval of criterion i. It keeps Wilson's asymmetry near 0% and
  100%, gives back the Wilson interval itself for a single criterion, and never leaves [0, 1]
  (√Σ aᵢ² ≤ Σ aᵢ, so low ≥ the mean of the lᵢ ≥ 0). It treats the criteria as independent
  samples; the same people answer all of them, so their answers are positively correlated and
  the interval is, if anything, narrower than the truth: read it as a lower bound on the
  uncertainty.

**3-level rating** (TT 32/2017/TT-BTTTT art. 12): values 3 Rất hài lòng, 2 Hài lòng,
1 Chưa hài lòng (hailong/surveys/files/questionnaire_json.py RATING3_OPTIONS); the share of each
level, and satisfaction = (levels 3 + 2) ÷ answers. `HAILONG_SATISFIED_VALUES` does not apply.

**Tallies** of multiple-choice questions (the kiosk's reasons, SIPAS "what should improve
first"): per option, the count and its share of a base the caller names (e.g. the "Chưa hài
lòng" ratings for the kiosk reasons, or the responses for the SIPAS question).

**Rounding** for display and JSON: percent with 2 decimals, half up (12.345 → 12.35), done on
the exact value (a Fraction for indices, the float's exact binary value for interval ends) by
Decimal, not by float `round()` (which rounds half to even and works on the binary value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from math import sqrt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from hailong.surveys.schema import VersionSchema

DEFAULT_MIN_SAMPLE = 30
DEFAULT_SATISFIED_VALUES = (4, 5)  # Hài lòng, Rất hài lòng
SCALE5_VALUES = frozenset(range(1, 6))
RATING3_LEVELS = (3, 2, 1)  # Rất hài lòng, Hài lòng, Chưa hài lòng
RATING3_SATISFIED = frozenset({3, 2})
# The items of the built-in questionnaires (hailong/surveys/builtin/) that are tallied, for
# readers that do not look them up by kind: "what should improve first" in sipas (up to 2
# options) and the reasons of the kiosk's quick form (nhanh), asked after "Chưa hài lòng".
SIPAS_PRIORITY_ITEM = "MM"
KIOSK_REASONS_ITEM = "LD"
KIOSK_RATING_ITEM = "DG"
# Keys of the JSON document that are not figures: no element or criterion may be called so.
JSON_RESERVED = frozenset({"period", "unit", "questionnaire", "responses", "overall"})


def min_sample_setting() -> int:
    """HAILONG_MIN_SAMPLE: answers below which a figure is "chưa đủ mẫu" (default 30)."""
    value = getattr(settings, "HAILONG_MIN_SAMPLE", DEFAULT_MIN_SAMPLE)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ImproperlyConfigured("HAILONG_MIN_SAMPLE must be a whole number of at least 1.")
    return value


def satisfied_values_setting() -> frozenset[int]:
    """HAILONG_SATISFIED_VALUES: the 5-point answers counted as satisfied (default 4 and 5)."""
    values = frozenset(getattr(settings, "HAILONG_SATISFIED_VALUES", DEFAULT_SATISFIED_VALUES))
    if not values or not values <= SCALE5_VALUES:
        raise ImproperlyConfigured(
            "HAILONG_SATISFIED_VALUES must name one or more of the answers 1 to 5."
        )
    return values


def resolve_min_sample(value: int | None) -> int:
    """`value`, or HAILONG_MIN_SAMPLE when it is None."""
    return min_sample_setting() if value is None else value


@dataclass(frozen=True)
class Figure:
    """One figure: a share (`k` of `n`) or a composite of shares (`k` is None).

    `index` is exact, in [0, 1] (None when n = 0); `ci_low`/`ci_high` its 95% interval (Wilson
    for a share, MOVER for a composite); `mean` the mean answer of a criterion (1–5);
    `left_out` the parts of a composite not averaged because they were below the minimum.
    """

    code: str
    n: int
    k: int | None
    index: Fraction | None
    ci_low: float | None
    ci_high: float | None
    sufficient: bool
    mean: Fraction | None = None
    left_out: tuple[str, ...] = ()

    @property
    def percent(self) -> Decimal | None:
        return percent(self.index)


@cache
def _proportion_confint():
    # statsmodels pulls in scipy and pandas (about a second): loaded on the first interval,
    # not whenever Django starts.
    from statsmodels.stats.proportion import proportion_confint

    return proportion_confint


def _check(k: int, n: int) -> None:
    if not 0 <= k <= n:
        raise ValueError(f"a share needs 0 ≤ k ≤ n, not k={k}, n={n}")


def _exact_edges(k: int, n: int, low, high) -> tuple[float, float]:
    # At k = 0 and k = n the bound on that side is exactly 0 and 1, as in the formula (the
    # floating-point result can be one ulp off, e.g. 0.9999999999999999 for 7 of 7).
    return (0.0 if k == 0 else float(low), 1.0 if k == n else float(high))


def wilson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float] | None:
    """The Wilson score interval of k successes in n trials (None when n = 0)."""
    _check(k, n)
    if n == 0:
        return None
    low, high = _proportion_confint()(k, n, alpha=alpha, method="wilson")
    return _exact_edges(k, n, low, high)


def wilson_many(
    pairs: Sequence[tuple[int, int]], alpha: float = 0.05
) -> list[tuple[float, float] | None]:
    """`wilson` of many (k, n) at once, in one vectorised call: the same numbers, without
    statsmodels' per-call cost (a quantile of the normal law each time), which a dashboard
    of hundreds of procedures × 19 criteria would otherwise pay thousands of times."""
    for k, n in pairs:
        _check(k, n)
    answered = [(k, n) for k, n in pairs if n]
    if not answered:
        return [None] * len(pairs)
    import numpy

    lows, highs = _proportion_confint()(
        numpy.array([k for k, _n in answered]),
        numpy.array([n for _k, n in answered]),
        alpha=alpha,
        method="wilson",
    )
    found = iter(zip(answered, lows, highs, strict=True))
    result: list[tuple[float, float] | None] = []
    for _k, n in pairs:
        if not n:
            result.append(None)
            continue
        (k, n), low, high = next(found)
        result.append(_exact_edges(k, n, low, high))
    return result


_NOT_GIVEN = object()


def share(
    k: int,
    n: int,
    *,
    code: str = "",
    alpha: float = 0.05,
    min_sample: int | None = None,
    interval=_NOT_GIVEN,
    mean: Fraction | None = None,
) -> Figure:
    """k of n as a Figure with its Wilson interval; sufficient when n ≥ the minimum sample.
    `interval`: the one `wilson_many` computed for these k and n, if it did; `mean`: a
    criterion's mean answer."""
    if interval is _NOT_GIVEN:
        interval = wilson(k, n, alpha)
    return Figure(
        code=code,
        n=n,
        k=k,
        index=Fraction(k, n) if n else None,
        ci_low=interval[0] if interval else None,
        ci_high=interval[1] if interval else None,
        sufficient=n >= resolve_min_sample(min_sample),
        mean=mean,
    )


def round_half_up(value: Fraction | float | Decimal, places: int = 2) -> Decimal:
    """`value` rounded half up to `places` decimals, on its exact value (a Fraction exactly; a
    float or Decimal by its exact value)."""
    quantum = Decimal(1).scaleb(-places)
    if isinstance(value, Fraction):
        # Decimal division would round to 28 digits first: round the Fraction itself.
        scaled = value * 10**places
        whole, rest = divmod(scaled.numerator, scaled.denominator)
        if 2 * rest >= scaled.denominator:
            whole += 1
        return (Decimal(whole) * quantum).quantize(quantum)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(value: Fraction | float | None) -> Decimal | None:
    """A share in [0, 1] as a percent with 2 decimals, rounded half up on its exact value."""
    if value is None:
        return None
    # scaleb shifts the exponent: exact, where a Decimal product rounds to 28 digits.
    return round_half_up(value * 100 if isinstance(value, Fraction) else Decimal(value).scaleb(2))


# ---- SIPAS ---------------------------------------------------------------------------------


# Answer states of the rollup tables (hailong/analytics/models.py AnswerTally.state).
STATE_VALUE, STATE_NOT_APPLICABLE, STATE_NO_VALUE = 0, 1, 2


def answer_counts(state_counts: Mapping[tuple[int, int], int]) -> dict[int | None, int]:
    """The rollups' {(state, value): count} of one item as these functions take answers:
    {value: count} for answers with a value, None for "không áp dụng"; answers without a value
    (state 2, e.g. free text) are no answers of a scale and are dropped."""
    answers: dict[int | None, int] = {}
    for (state, value), count in state_counts.items():
        if state == STATE_VALUE:
            answers[value] = answers.get(value, 0) + count
        elif state == STATE_NOT_APPLICABLE:
            answers[None] = answers.get(None, 0) + count
    return answers


def sipas_structure(schema: VersionSchema) -> dict[str, tuple[str, ...]]:
    """{element (section) code: its criterion codes} of a questionnaire version, in order: the
    5-point items in a section that are neither profile nor overall questions."""
    structure: dict[str, list[str]] = {}
    for item in schema.items:
        if item.kind == "scale5" and item.section and not (item.is_profile or item.is_overall):
            structure.setdefault(item.section, []).append(item.code)
    return {section: tuple(codes) for section, codes in structure.items()}


def _criterion_tally(
    code: str, counts: Mapping[int | None, int], satisfied: frozenset[int]
) -> tuple[int, int, Fraction | None]:
    """(satisfied answers, valid answers, mean answer) of one criterion."""
    unknown = [value for value in counts if value is not None and value not in SCALE5_VALUES]
    if unknown:
        raise ValueError(f"criterion {code}: answers outside 1–5: {sorted(unknown)}")
    valid = {value: count for value, count in counts.items() if value is not None}
    n = sum(valid.values())
    k = sum(count for value, count in valid.items() if value in satisfied)
    mean = Fraction(sum(value * count for value, count in valid.items()), n) if n else None
    return k, n, mean


def criterion_figure(
    code: str,
    counts: Mapping[int | None, int],
    *,
    satisfied: frozenset[int] | None = None,
    alpha: float = 0.05,
    min_sample: int | None = None,
) -> Figure:
    """One SIPAS criterion from its answers {value 1–5, or None for "không áp dụng": count}:
    the share of satisfied answers among valid ones, and the mean answer."""
    satisfied = satisfied_values_setting() if satisfied is None else frozenset(satisfied)
    k, n, mean = _criterion_tally(code, counts, satisfied)
    return share(k, n, code=code, alpha=alpha, min_sample=min_sample, mean=mean)


def _composite(
    code: str,
    terms: list[tuple[int, Figure]],
    left_out: list[Figure],
    *,
    sufficient: bool,
) -> Figure:
    """A weighted sum of criterion shares with its MOVER interval (see the module docstring);
    each term is (d, criterion) for the weight 1/d."""
    if not terms:
        return Figure(code, 0, None, None, None, None, sufficient)
    # Σ kᵢ/(dᵢ·nᵢ) on whole numbers, reduced once at the end: the same exact value as adding
    # Fractions term by term, without a gcd per term (thousands per dashboard). A criterion's
    # k/n as a float is float(its Fraction): both are the correctly rounded quotient.
    numerator, denominator = 0, 1
    below = above = 0.0
    for weight, term in terms:
        term_denominator = weight * term.n
        numerator = numerator * term_denominator + term.k * denominator
        denominator *= term_denominator
        # The same floating-point steps as Σ float(w)²·(pᵢ − lᵢ)², term by term.
        share_, w = term.k / term.n, 1 / weight
        below += w**2 * (share_ - term.ci_low) ** 2
        above += w**2 * (term.ci_high - share_) ** 2
    index = Fraction(numerator, denominator)
    return Figure(
        code=code,
        n=sum(term.n for _, term in terms),
        k=None,
        index=index,
        ci_low=max(0.0, float(index) - sqrt(below)),
        ci_high=min(1.0, float(index) + sqrt(above)),
        sufficient=sufficient,
        left_out=tuple(part.code for part in left_out),
    )


def _used(parts: Sequence[Figure]) -> list[Figure]:
    """The parts a composite averages: the sufficient ones, or, when there are none, all that
    have answers."""
    sufficient = [part for part in parts if part.sufficient]
    return sufficient or [part for part in parts if part.n]


@dataclass(frozen=True)
class SipasResult:
    overall: Figure
    elements: dict[str, Figure]  # by section code, in questionnaire order
    criteria: dict[str, Figure]  # by item code, in questionnaire order
    # The criteria each element averaged (for the overall's interval and for explanations).
    used: dict[str, tuple[str, ...]] = field(default_factory=dict)


def sipas_indices(
    structure: Mapping[str, Sequence[str]],
    counts: Mapping[str, Mapping[int | None, int]],
    *,
    satisfied: frozenset[int] | None = None,
    alpha: float = 0.05,
    min_sample: int | None = None,
) -> SipasResult:
    """SIPAS from the questionnaire's structure {element code: [criterion codes]} (sections and
    their scale5 items that are neither profile nor overall questions, in order) and the
    answers per criterion {criterion code: {value or None: count}}; a criterion missing from
    `counts` has no answers."""
    return sipas_indices_many(
        structure, {None: counts}, satisfied=satisfied, alpha=alpha, min_sample=min_sample
    )[None]


def sipas_indices_many(
    structure: Mapping[str, Sequence[str]],
    counts_by: Mapping[object, Mapping[str, Mapping[int | None, int]]],
    *,
    satisfied: frozenset[int] | None = None,
    alpha: float = 0.05,
    min_sample: int | None = None,
) -> dict[object, SipasResult]:
    """`sipas_indices` of many slices at once ({key: counts} → {key: SipasResult}): the same
    figures, with every criterion's Wilson interval of every slice in one vectorised call (a
    dashboard ranks some 300 procedures × 19 criteria; one call per procedure cost more than
    the reading of their counts)."""
    satisfied = satisfied_values_setting() if satisfied is None else frozenset(satisfied)
    minimum = resolve_min_sample(min_sample)
    codes = [code for element_codes in structure.values() for code in element_codes]
    tallies = {
        key: [_criterion_tally(code, counts.get(code, {}), satisfied) for code in codes]
        for key, counts in counts_by.items()
    }
    intervals = iter(
        wilson_many([(k, n) for rows in tallies.values() for k, n, _mean in rows], alpha)
    )
    results = {}
    for key, rows in tallies.items():
        criteria = {
            code: share(k, n, code=code, min_sample=minimum, interval=next(intervals), mean=mean)
            for code, (k, n, mean) in zip(codes, rows, strict=True)
        }
        results[key] = _sipas_of_criteria(structure, criteria)
    return results


def _sipas_of_criteria(
    structure: Mapping[str, Sequence[str]], criteria: dict[str, Figure]
) -> SipasResult:
    """The elements and the overall of a slice's criterion figures (the module docstring's
    composites and small-sample rule)."""
    elements: dict[str, Figure] = {}
    used: dict[str, tuple[str, ...]] = {}
    for element, codes in structure.items():
        parts = [criteria[code] for code in codes]
        chosen = _used(parts)
        used[element] = tuple(part.code for part in chosen)
        terms = [(len(chosen), part) for part in chosen]
        left_out = [part for part in parts if part.n and part.code not in used[element]]
        elements[element] = _composite(
            element, terms, left_out, sufficient=any(part.sufficient for part in parts)
        )
    chosen_elements = _used(list(elements.values()))
    terms = [
        (len(chosen_elements) * len(used[element.code]), criteria[code])
        for element in chosen_elements
        for code in used[element.code]
    ]
    chosen_codes = {element.code for element in chosen_elements}
    left_out = [e for e in elements.values() if e.n and e.code not in chosen_codes]
    overall = _composite(
        "overall",
        terms,
        left_out,
        sufficient=bool(elements) and all(e.sufficient for e in elements.values()),
    )
    return SipasResult(overall=overall, elements=elements, criteria=criteria, used=used)


# ---- The JSON document ---------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def figure_json(figure: Figure) -> dict:
    """{code, n, index, ci_low, ci_high, sufficient} in percent with 2 decimals (None when
    n = 0); a criterion adds its mean answer ("mean", 2 decimals), a composite the parts it
    left out ("left_out")."""
    data = {
        "code": figure.code,
        "n": figure.n,
        "index": _number(percent(figure.index)),
        "ci_low": _number(percent(figure.ci_low)),
        "ci_high": _number(percent(figure.ci_high)),
        "sufficient": figure.sufficient,
    }
    if figure.k is not None:
        data["mean"] = None if figure.mean is None else _number(round_half_up(figure.mean))
    else:
        data["left_out"] = list(figure.left_out)
    return data


def indices_json(
    result: SipasResult,
    *,
    period: str,
    unit: str | None,
    questionnaire: str,
    responses: int | None = None,
) -> dict:
    """The one JSON shape of the API and of `manage.py indices --json`: the period, unit and
    questionnaire as given, the number of responses when known, then "overall", each element
    and each criterion by its code, in questionnaire order.

    Element and criterion codes share one namespace here; a questionnaire where a section and
    an item have the same code, or one is called like a reserved key, cannot be written so and
    raises ValueError."""
    data: dict = {"period": period, "unit": unit, "questionnaire": questionnaire}
    if responses is not None:
        data["responses"] = responses
    data["overall"] = figure_json(result.overall)
    for figure in [*result.elements.values(), *result.criteria.values()]:
        if figure.code in data or figure.code in JSON_RESERVED:
            raise ValueError(f"the code {figure.code!r} is used twice in the indices document")
        data[figure.code] = figure_json(figure)
    return data


# ---- The 3-level rating and tallies --------------------------------------------------------


@dataclass(frozen=True)
class RatingResult:
    n: int
    levels: dict[int, Figure]  # 3, 2, 1: the share of each level
    satisfaction: Figure  # (3 + 2) ÷ answers


def rating3(
    counts: Mapping[int | None, int],
    *,
    code: str = KIOSK_RATING_ITEM,
    alpha: float = 0.05,
    min_sample: int | None = None,
) -> RatingResult:
    """The 3-level rating from its answers {3, 2, 1 (None: no value, ignored): count}."""
    unknown = [value for value in counts if value is not None and value not in RATING3_LEVELS]
    if unknown:
        raise ValueError(f"rating {code}: values outside 1–3: {sorted(unknown)}")
    n = sum(count for value, count in counts.items() if value is not None)
    levels = {
        level: share(
            counts.get(level, 0), n, code=f"{code}={level}", alpha=alpha, min_sample=min_sample
        )
        for level in RATING3_LEVELS
    }
    satisfied = sum(counts.get(level, 0) for level in RATING3_SATISFIED)
    return RatingResult(
        n=n,
        levels=levels,
        satisfaction=share(satisfied, n, code=code, alpha=alpha, min_sample=min_sample),
    )


def tally(
    option_counts: Mapping[str, int],
    *,
    base: int,
    order: Sequence[str],
    alpha: float = 0.05,
    min_sample: int | None = None,
) -> list[Figure]:
    """A multiple-choice question as a tally: per option of `order` (the questionnaire's
    options; options never chosen count 0), its count of `base` with a Wilson interval, the
    most chosen first (ties in questionnaire order). One person may choose several options, so
    the shares may add up to more than 100%; `base` is the number of people asked (for the
    kiosk reasons: the "Chưa hài lòng" ratings; for "what should improve first": the
    responses), and no option can be chosen more often than that."""
    unknown = set(option_counts) - set(order)
    if unknown:
        raise ValueError(f"options not in the question: {sorted(unknown)}")
    rank = {code: position for position, code in enumerate(order)}
    figures = [
        share(option_counts.get(code, 0), base, code=code, alpha=alpha, min_sample=min_sample)
        for code in order
    ]
    return sorted(figures, key=lambda figure: (-figure.k, rank[figure.code]))
