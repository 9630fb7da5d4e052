"""SIPAS, 3-level rating and tally figures against hand-computed numbers.

The Wilson interval of k of n, with z = 1.959964 (the 97.5% normal quantile, z² = 3.841459):
    centre = (p + z²/2n) / (1 + z²/n),   half = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n).
Intervals used below (from that formula, 6 decimals):
    45/50 [0.786398, 0.956524]   30/40 [0.598060, 0.858129]   24/40 [0.445959, 0.736517]
    30/30 [0.886487, 1]          40/40 [0.912378, 1]           45/60 [0.627679, 0.842235]
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import sqrt

import pytest
from django.core.exceptions import ImproperlyConfigured

from hailong.analytics.indices import (
    answer_counts,
    criterion_figure,
    indices_json,
    percent,
    rating3,
    share,
    sipas_indices,
    sipas_structure,
    tally,
    wilson,
    wilson_many,
)
from hailong.surveys.models import QuestionnaireVersion
from hailong.surveys.schema import schema_for

Z = 1.959963984540054


def closed_form_wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    denominator = 1 + Z**2 / n
    centre = (p + Z**2 / (2 * n)) / denominator
    half = Z * sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / denominator
    return centre - half, centre + half


# ---- Wilson, shares, rounding ------------------------------------------------------------


def test_wilson_of_45_of_50_by_hand():
    # centre = (0.9 + 3.841459/100) / (1 + 3.841459/50) = 0.938415 / 1.076829 = 0.871461
    # half = 1.959964 × √(0.9 × 0.1/50 + 3.841459/10000) / 1.076829
    #      = 1.959964 × √0.00218415 / 1.076829 = 1.959964 × 0.046735 / 1.076829 = 0.085063
    # → [0.786398, 0.956524]
    low, high = wilson(45, 50)
    assert (round(low, 6), round(high, 6)) == (0.786398, 0.956524)
    figure = share(45, 50, code="X")
    assert (figure.n, figure.k, figure.index) == (50, 45, Fraction(9, 10))
    assert (figure.percent, percent(figure.ci_low), percent(figure.ci_high)) == (
        Decimal("90.00"),
        Decimal("78.64"),
        Decimal("95.65"),
    )


@pytest.mark.parametrize("k,n", [(1, 7), (12, 20), (45, 60), (170, 200), (3, 1000)])
def test_wilson_from_statsmodels_is_the_closed_form(k, n):
    low, high = wilson(k, n)
    expected_low, expected_high = closed_form_wilson(k, n)
    assert low == pytest.approx(expected_low, abs=1e-12)
    assert high == pytest.approx(expected_high, abs=1e-12)


def test_all_satisfied_has_an_upper_bound_of_100_and_a_lower_one_below():
    # 30/30: centre = (1 + 0.064024)/1.128049 = 0.943244; half = 1.959964 × √(0.001067)/1.128049
    # = 0.056757 → [0.886487, 1]
    assert share(30, 30).ci_high == 1.0
    assert percent(share(30, 30).ci_low) == Decimal("88.65")
    # 7/7: the floating-point bound would be 0.9999999999999999; the formula's is 1.
    assert wilson(7, 7)[1] == 1.0
    assert wilson(0, 30) == (0.0, pytest.approx(0.113513, abs=1e-6))


def test_no_answers_give_no_figure():
    figure = share(0, 0, code="X")
    assert (figure.n, figure.index, figure.ci_low, figure.ci_high, figure.sufficient) == (
        0,
        None,
        None,
        None,
        False,
    )
    assert wilson(0, 0) is None
    with pytest.raises(ValueError):
        share(5, 4)


def test_percent_rounds_half_up_on_the_exact_value():
    # 1/160 = 0.625%: half up gives 0.63 (float round(0.625, 2) gives 0.62, half to even)
    assert percent(Fraction(1, 160)) == Decimal("0.63")
    assert percent(Fraction(1, 8)) == Decimal("12.50")
    assert percent(Fraction(2, 3)) == Decimal("66.67")
    assert percent(Fraction(1, 3)) == Decimal("33.33")
    assert percent(None) is None


def test_the_minimum_sample_is_an_argument_defaulting_to_the_setting(settings):
    assert share(29, 29).sufficient is False  # default 30
    assert share(30, 30).sufficient is True
    assert share(29, 29, min_sample=20).sufficient is True
    settings.HAILONG_MIN_SAMPLE = 50
    assert share(45, 49).sufficient is False
    assert share(45, 50).sufficient is True
    settings.HAILONG_MIN_SAMPLE = 0
    with pytest.raises(ImproperlyConfigured):
        share(1, 2)


# ---- SIPAS ---------------------------------------------------------------------------------


def test_a_criterion_excludes_not_applicable_and_gives_the_mean_answer():
    # values 5×20, 4×25, 3×5, "không áp dụng"×7: n = 50 valid, k = 45 satisfied → 90.00%;
    # mean = (5×20 + 4×25 + 3×5)/50 = 215/50 = 4.3
    figure = criterion_figure("TC1", {5: 20, 4: 25, 3: 5, None: 7})
    assert (figure.n, figure.k, figure.percent, figure.mean) == (
        50,
        45,
        Decimal("90.00"),
        Fraction(43, 10),
    )
    assert (percent(figure.ci_low), percent(figure.ci_high)) == (Decimal("78.64"), Decimal("95.65"))
    with pytest.raises(ValueError):
        criterion_figure("TC1", {6: 1})


def test_the_satisfied_values_are_a_setting(settings):
    counts = {5: 20, 4: 25, 3: 5, None: 7}
    settings.HAILONG_SATISFIED_VALUES = (5,)
    # only "Rất hài lòng" counts: 20/50 = 40.00%
    assert criterion_figure("TC1", counts).percent == Decimal("40.00")
    assert sipas_indices({"TC": ["TC1"]}, {"TC1": counts}).overall.percent == Decimal("40.00")
    # an explicit argument wins over the setting: 3, 4, 5 → 50/50
    assert criterion_figure("TC1", counts, satisfied={3, 4, 5}).percent == Decimal("100.00")
    settings.HAILONG_SATISFIED_VALUES = (0, 5)
    with pytest.raises(ImproperlyConfigured):
        criterion_figure("TC1", counts)


A1 = {5: 20, 4: 25, 3: 5}  # 45/50
A2 = {4: 30, 2: 10, None: 3}  # 30/40
B1 = {5: 24, 1: 16}  # 24/40


def test_an_element_is_the_mean_of_its_criteria_with_a_mover_interval():
    result = sipas_indices({"A": ["A1", "A2"]}, {"A1": A1, "A2": A2})
    element = result.elements["A"]
    # index = (0.9 + 0.75)/2 = 0.825
    # low  = 0.825 − ½·√((0.9 − 0.786398)² + (0.75 − 0.598060)²)
    #      = 0.825 − ½·√(0.012905 + 0.023086) = 0.825 − ½·0.189713 = 0.730143
    # high = 0.825 + ½·√((0.956524 − 0.9)² + (0.858129 − 0.75)²)
    #      = 0.825 + ½·√(0.003195 + 0.011692) = 0.825 + ½·0.122012 = 0.886006
    assert element.index == Fraction(33, 40)
    assert (element.percent, percent(element.ci_low), percent(element.ci_high)) == (
        Decimal("82.50"),
        Decimal("73.01"),
        Decimal("88.60"),
    )
    assert (element.n, element.k, element.sufficient, element.left_out) == (90, None, True, ())


def test_an_element_of_one_criterion_has_that_criterion_s_wilson_interval():
    result = sipas_indices({"B": ["B1"]}, {"B1": B1})
    assert result.elements["B"].index == result.criteria["B1"].index == Fraction(3, 5)
    assert result.elements["B"].ci_low == pytest.approx(result.criteria["B1"].ci_low, abs=1e-15)
    assert result.elements["B"].ci_high == pytest.approx(result.criteria["B1"].ci_high, abs=1e-15)


def test_the_overall_is_the_mean_of_the_elements_not_of_the_criteria():
    result = sipas_indices({"A": ["A1", "A2"], "B": ["B1"]}, {"A1": A1, "A2": A2, "B1": B1})
    overall = result.overall
    # (0.825 + 0.6)/2 = 0.7125, not (0.9 + 0.75 + 0.6)/3 = 0.75: weights ¼, ¼, ½
    # low  = 0.7125 − √((¼·0.113602)² + (¼·0.151940)² + (½·0.154041)²)
    #      = 0.7125 − √(0.000807 + 0.001443 + 0.005932) = 0.7125 − 0.090454 = 0.622046
    # high = 0.7125 + √((¼·0.056524)² + (¼·0.108129)² + (½·0.136517)²)
    #      = 0.7125 + √(0.000200 + 0.000731 + 0.004659) = 0.7125 + 0.074766 = 0.787266
    assert overall.index == Fraction(57, 80)
    assert (overall.percent, percent(overall.ci_low), percent(overall.ci_high)) == (
        Decimal("71.25"),
        Decimal("62.20"),
        Decimal("78.73"),
    )
    assert (overall.code, overall.n, overall.sufficient) == ("overall", 130, True)


def test_an_element_all_satisfied_reaches_100_at_the_top_only():
    result = sipas_indices({"A": ["A1", "A2"]}, {"A1": {5: 30}, "A2": {4: 40}})
    element = result.elements["A"]
    # low = 1 − ½·√((1 − 0.886487)² + (1 − 0.912378)²) = 1 − ½·√(0.012885 + 0.007678)
    #     = 1 − ½·0.143397 = 0.928301
    assert (element.percent, percent(element.ci_low), element.ci_high) == (
        Decimal("100.00"),
        Decimal("92.83"),
        1.0,
    )


def test_a_criterion_below_the_minimum_is_left_out_of_its_element():
    # A2 has 12/20 (below 30): the element is A1 alone, 90.00%, and names A2 as left out
    result = sipas_indices({"A": ["A1", "A2"]}, {"A1": A1, "A2": {4: 12, 3: 8}})
    element = result.elements["A"]
    assert result.criteria["A2"].sufficient is False
    assert result.criteria["A2"].percent == Decimal("60.00")  # shown, marked
    assert (element.percent, element.n, element.sufficient, element.left_out) == (
        Decimal("90.00"),
        50,
        True,
        ("A2",),
    )
    assert result.used == {"A": ("A1",)}
    # with a minimum of 20 both count: (0.9 + 0.6)/2
    lower = sipas_indices({"A": ["A1", "A2"]}, {"A1": A1, "A2": {4: 12, 3: 8}}, min_sample=20)
    assert (lower.elements["A"].percent, lower.elements["A"].left_out) == (Decimal("75.00"), ())


def test_an_element_without_a_sufficient_criterion_is_shown_but_insufficient(settings):
    # B1 12/20 and B2 18/25, both below 30: the element is their mean (0.6 + 0.72)/2 = 0.66
    counts = {"A1": A1, "A2": A2, "B1": {5: 12, 2: 8}, "B2": {4: 18, 3: 7}}
    result = sipas_indices({"A": ["A1", "A2"], "B": ["B1", "B2"]}, counts)
    element = result.elements["B"]
    assert (element.percent, element.n, element.sufficient, element.left_out) == (
        Decimal("66.00"),
        45,
        False,
        (),
    )
    # The overall leaves B out (A alone: 82.50%) and is insufficient: an element is missing.
    assert (result.overall.percent, result.overall.sufficient, result.overall.left_out) == (
        Decimal("82.50"),
        False,
        ("B",),
    )
    # The setting lowered to 20: everything counts, (0.825 + 0.66)/2 = 0.7425
    settings.HAILONG_MIN_SAMPLE = 20
    result = sipas_indices({"A": ["A1", "A2"], "B": ["B1", "B2"]}, counts)
    assert (result.overall.percent, result.overall.sufficient) == (Decimal("74.25"), True)


def test_only_not_applicable_answers_give_no_index():
    result = sipas_indices({"PA": ["PA1", "PA2"]}, {"PA1": {None: 40}})
    for figure in (result.criteria["PA1"], result.criteria["PA2"], result.elements["PA"]):
        assert (figure.n, figure.index, figure.ci_low, figure.sufficient) == (0, None, None, False)
    assert (result.overall.n, result.overall.index, result.overall.sufficient) == (0, None, False)


# ---- The JSON document ---------------------------------------------------------------------


def test_the_json_document_has_overall_then_elements_then_criteria():
    result = sipas_indices(
        {"A": ["A1", "A2"], "B": ["B1", "B2"]}, {"A1": A1, "A2": A2, "B1": B1, "B2": {None: 5}}
    )
    data = indices_json(
        result, period="2026-Q1", unit="UBND-X", questionnaire="sipas", responses=57
    )
    assert list(data) == [
        "period",
        "unit",
        "questionnaire",
        "responses",
        "overall",
        "A",
        "B",
        "A1",
        "A2",
        "B1",
        "B2",
    ]
    assert data["overall"] == {
        "code": "overall",
        "n": 130,
        "index": 71.25,
        "ci_low": 62.2,
        "ci_high": 78.73,
        "sufficient": True,
        "left_out": [],
    }
    assert data["A1"] == {
        "code": "A1",
        "n": 50,
        "index": 90.0,
        "ci_low": 78.64,
        "ci_high": 95.65,
        "sufficient": True,
        "mean": 4.3,
    }
    assert data["B2"] == {
        "code": "B2",
        "n": 0,
        "index": None,
        "ci_low": None,
        "ci_high": None,
        "sufficient": False,
        "mean": None,
    }
    assert (data["period"], data["unit"], data["questionnaire"], data["responses"]) == (
        "2026-Q1",
        "UBND-X",
        "sipas",
        57,
    )


def test_the_json_document_refuses_codes_used_twice():
    clash = sipas_indices({"A": ["A"]}, {"A": A1})
    with pytest.raises(ValueError):
        indices_json(clash, period="2026", unit=None, questionnaire="x")
    reserved = sipas_indices({"unit": ["A1"]}, {"A1": A1})
    with pytest.raises(ValueError):
        indices_json(reserved, period="2026", unit=None, questionnaire="x")


# ---- The 3-level rating and tallies --------------------------------------------------------


def test_the_3_level_rating_by_hand():
    # Rất hài lòng 20, Hài lòng 25, Chưa hài lòng 15: n = 60
    result = rating3({3: 20, 2: 25, 1: 15})
    assert result.n == 60
    assert [result.levels[level].percent for level in (3, 2, 1)] == [
        Decimal("33.33"),  # 20/60
        Decimal("41.67"),  # 25/60 = 41.666…
        Decimal("25.00"),  # 15/60
    ]
    # satisfaction = (20 + 25)/60 = 75.00%, Wilson 45/60 [0.627679, 0.842235]
    satisfaction = result.satisfaction
    assert (satisfaction.k, satisfaction.n, satisfaction.percent) == (45, 60, Decimal("75.00"))
    assert (percent(satisfaction.ci_low), percent(satisfaction.ci_high)) == (
        Decimal("62.77"),
        Decimal("84.22"),
    )
    assert satisfaction.sufficient is True
    with pytest.raises(ValueError):
        rating3({4: 1})


def test_the_3_level_rating_ignores_the_satisfied_values_setting(settings):
    settings.HAILONG_SATISFIED_VALUES = (5,)
    assert rating3({3: 1, 2: 1, 1: 2}).satisfaction.index == Fraction(1, 2)
    assert rating3({}).satisfaction.index is None


def test_a_tally_puts_the_most_chosen_first_and_keeps_unchosen_options():
    order = ["CHO", "THAIDO", "HUONGDAN", "KHAC"]
    # 40 "Chưa hài lòng" ratings asked for their reasons; CHO 24, THAIDO 10, KHAC 10
    rows = tally({"CHO": 24, "THAIDO": 10, "KHAC": 10}, base=40, order=order, min_sample=30)
    assert [(row.code, row.k, row.percent) for row in rows] == [
        ("CHO", 24, Decimal("60.00")),
        ("THAIDO", 10, Decimal("25.00")),  # ties in questionnaire order
        ("KHAC", 10, Decimal("25.00")),
        ("HUONGDAN", 0, Decimal("0.00")),
    ]
    assert (percent(rows[0].ci_low), percent(rows[0].ci_high)) == (
        Decimal("44.60"),
        Decimal("73.65"),
    )
    with pytest.raises(ValueError):
        tally({"XX": 1}, base=40, order=order)
    with pytest.raises(ValueError):
        tally({"CHO": 41}, base=40, order=order)


# ---- Inputs from the questionnaire and the rollups -----------------------------------------


@pytest.mark.django_db
def test_the_builtin_sipas_has_five_elements_of_19_criteria():
    version = QuestionnaireVersion.objects.filter(questionnaire__code="sipas").get()
    structure = sipas_structure(schema_for(version))
    # 4/4/5/3/3 (DOMAIN.md §3); HL (overall), MM, YK and the profile are no criteria
    assert {element: len(codes) for element, codes in structure.items()} == {
        "TC": 4,
        "TT": 4,
        "CC": 5,
        "KQ": 3,
        "PA": 3,
    }
    assert list(structure) == ["TC", "TT", "CC", "KQ", "PA"]
    assert structure["KQ"] == ("KQ1", "KQ2", "KQ3")


def test_the_rollups_states_become_answers():
    # state 0 = a value, 1 = không áp dụng, 2 = answered without a value (dropped)
    assert answer_counts({(0, 5): 3, (0, 4): 2, (1, 0): 4, (2, 0): 9}) == {5: 3, 4: 2, None: 4}
    assert criterion_figure("X", answer_counts({(0, 5): 3, (0, 2): 1, (1, 0): 4})).index == (
        Fraction(3, 4)
    )


def test_many_intervals_at_once_are_the_intervals_one_by_one():
    pairs = [(0, 0), (0, 7), (7, 7), (45, 50), (1, 3), (0, 0), (299, 300), (4, 7)]
    assert wilson_many(pairs) == [wilson(k, n) for k, n in pairs]
    assert wilson_many([]) == []
    assert wilson_many([(0, 0)]) == [None]
    with pytest.raises(ValueError):
        wilson_many([(3, 2)])
