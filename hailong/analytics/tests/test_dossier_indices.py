"""TT 01/2018 per-dossier indices and rank, and the QĐ 766 satisfaction group, by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from hailong.analytics.dossier_indices import (
    Tt01Rank,
    qd766_pakn,
    qd766_pakn_from_stats,
    tt01_index,
    tt01_indices,
    tt01_rank,
    tthc_satisfaction,
)
from hailong.analytics.indices import percent
from hailong.feedback.statistics import CaseStats


def test_index_1_from_the_register_by_hand():
    # 10 dossiers before the due day (2 points), 15 on it (1), 5 late (0): 35 points / 30
    # = 1.1666… → 1.2
    figure = tt01_index(1, {2: 10, 1: 15, 0: 5}, source="register")
    assert (figure.n, figure.points, figure.index, figure.shown, figure.sufficient) == (
        30,
        35,
        Fraction(7, 6),
        Decimal("1.2"),
        True,
    )
    with pytest.raises(ValueError):
        tt01_index(1, {3: 1}, source="register")


@pytest.mark.parametrize(
    "total,rank",
    [
        ("18", Tt01Rank.EXCELLENT),
        ("15.0", Tt01Rank.EXCELLENT),
        ("14.9", Tt01Rank.GOOD),
        ("12.0", Tt01Rank.GOOD),
        ("11.9", Tt01Rank.FAIR),
        ("9.0", Tt01Rank.FAIR),
        ("8.9", Tt01Rank.AVERAGE),
        ("6.0", Tt01Rank.AVERAGE),
        ("5.9", Tt01Rank.WEAK),
        ("0", Tt01Rank.WEAK),
    ],
)
def test_the_rank_thresholds_of_tt01(total, rank):
    assert tt01_rank(Decimal(total)) is rank


def test_the_rank_labels_are_vietnamese():
    with translation.override("vi"):
        assert [rank.label for rank in Tt01Rank] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]


def _all_nine(scores: dict[int, int]) -> dict[str, dict[int | None, int]]:
    return {f"CS{number}": dict(scores) for number in range(1, 10)}


def test_the_register_alone_gives_index_1_and_no_rank():
    result = tt01_indices(time_scores={2: 10, 1: 15, 0: 5})
    assert list(result.indices) == [1]
    assert result.indices[1].source == "register"
    assert (result.total, result.rank, result.missing, result.insufficient) == (
        None,
        None,
        (2, 3, 4, 5, 6, 7, 8, 9),
        (),
    )


def test_all_nine_indices_rank_the_unit_on_the_shown_values():
    # Each index 26 × 2 + 14 × 1 = 66 points of 40 dossiers = 1.65 → shown 1.7 (half up);
    # total of the shown indices 9 × 1.7 = 15.3 → xuất sắc (the exact 9 × 1.65 = 14.85 would
    # be tốt: the page's figures add up to the total that ranks).
    result = tt01_indices(answers=_all_nine({2: 26, 1: 14, None: 3}))
    assert {number: figure.shown for number, figure in result.indices.items()} == {
        number: Decimal("1.7") for number in range(1, 10)
    }
    assert (result.total, result.rank, result.missing, result.insufficient) == (
        Decimal("15.3"),
        Tt01Rank.EXCELLENT,
        (),
        (),
    )


def test_the_register_s_index_1_replaces_the_answers_cs1():
    # register: 30 dossiers all late → 0.0; answers CS1: 40 × 2 points → 2.0 (not used)
    # total = 0.0 + 8 × 2.0 = 16.0 → xuất sắc
    result = tt01_indices(time_scores={0: 30}, answers=_all_nine({2: 40}))
    assert (result.indices[1].source, result.indices[1].shown) == ("register", Decimal("0.0"))
    assert (result.total, result.rank) == (Decimal("16.0"), Tt01Rank.EXCELLENT)
    # an empty register falls back to the answers
    result = tt01_indices(time_scores={}, answers=_all_nine({2: 40}))
    assert (result.indices[1].source, result.total) == ("answers", Decimal("18.0"))


def test_an_index_below_the_minimum_sample_keeps_the_unit_unranked(settings):
    answers = _all_nine({2: 40})
    answers["CS8"] = {2: 10, 1: 5}  # 15 dossiers
    result = tt01_indices(answers=answers)
    assert (result.rank, result.total, result.missing, result.insufficient) == (
        None,
        None,
        (),
        (8,),
    )
    assert result.indices[8].shown == Decimal("1.7")  # 25/15 = 1.666…, shown, not ranked
    settings.HAILONG_MIN_SAMPLE = 15
    # 8 × 2.0 + 1.7 = 17.7
    assert tt01_indices(answers=answers).rank is Tt01Rank.EXCELLENT
    assert tt01_indices(answers=answers).total == Decimal("17.7")


def test_the_pakn_ratios_of_qd766_by_hand():
    # 40 PAKN decided within competence, 30 on time, 6 overdue, 4 rated unsatisfied (not overdue)
    # on time = 30/40 = 75.00%; satisfaction = (40 − 4 − 6)/40 = 30/40 = 75.00%
    # Wilson 30/40 [0.598060, 0.858129]
    result = qd766_pakn(decided=40, on_time=30, unsatisfied=4, overdue=6)
    assert (result.on_time.k, result.on_time.n, result.on_time.percent) == (
        30,
        40,
        Decimal("75.00"),
    )
    assert (result.satisfaction.k, result.satisfaction.percent) == (30, Decimal("75.00"))
    assert (percent(result.on_time.ci_low), percent(result.on_time.ci_high)) == (
        Decimal("59.81"),
        Decimal("85.81"),
    )


def test_the_pakn_ratios_agree_with_the_case_statistics():
    stats = CaseStats(
        key=None, label="", pakn_decided=8, pakn_on_time=5, pakn_overdue=2, pakn_unsatisfied=1
    )
    result = qd766_pakn_from_stats(stats)
    # the case statistics show one decimal: 5/8 = 62.5, (8 − 1 − 2)/8 = 62.5
    assert (stats.pakn_on_time_ratio, stats.pakn_satisfaction_ratio) == (62.5, 62.5)
    assert (result.on_time.percent, result.satisfaction.percent) == (
        Decimal("62.50"),
        Decimal("62.50"),
    )
    assert result.on_time.sufficient is False  # 8 PAKN: chưa đủ mẫu


def test_tthc_satisfaction_by_hand():
    # 200 dossiers; 15 overdue, 5 others with a PAKN, 10 others rated unsatisfied:
    # (200 − 10 − 5 − 15)/200 = 170/200 = 85.00%, Wilson [0.793944, 0.892864]
    figure = tthc_satisfaction(dossiers=200, unsatisfied=10, with_pakn=5, overdue=15)
    assert (figure.k, figure.n, figure.percent) == (170, 200, Decimal("85.00"))
    assert (percent(figure.ci_low), percent(figure.ci_high)) == (Decimal("79.39"), Decimal("89.29"))
    assert tthc_satisfaction(dossiers=0, unsatisfied=0, with_pakn=0, overdue=0).index is None
    with pytest.raises(ValueError):
        tthc_satisfaction(dossiers=10, unsatisfied=5, with_pakn=3, overdue=3)
