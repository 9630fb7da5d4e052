from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from hailong.core.periods import (
    LOCAL_TZ,
    PeriodKind,
    PeriodParseError,
    parse_period,
    period_containing,
)

UTC = ZoneInfo("UTC")


def test_it_parses_a_month_as_a_half_open_local_interval():
    period = parse_period("2026-03")
    assert period.kind == PeriodKind.MONTH
    assert period.start == datetime(2026, 3, 1, tzinfo=LOCAL_TZ)
    assert period.end == datetime(2026, 4, 1, tzinfo=LOCAL_TZ)
    assert period.last_day == date(2026, 3, 31)
    # 17:00 UTC on 31 March is already 00:00 on 1 April in Hanoi: April, not March.
    assert not period.contains(datetime(2026, 3, 31, 17, 0, tzinfo=UTC))
    assert period.contains(datetime(2026, 3, 31, 16, 59, 59, tzinfo=UTC))
    assert period.start.utcoffset().total_seconds() == 7 * 3600


def test_it_parses_quarters_and_years():
    q1 = parse_period("2026-Q1")
    assert (q1.first_day, q1.end_day) == (date(2026, 1, 1), date(2026, 4, 1))
    q4 = parse_period("2026-q4")
    assert (q4.first_day, q4.end_day) == (date(2026, 10, 1), date(2027, 1, 1))
    year = parse_period("2026")
    assert (year.first_day, year.end_day, year.days) == (date(2026, 1, 1), date(2027, 1, 1), 365)
    assert parse_period("Q2/2026") == parse_period("2026-Q2")
    assert parse_period("3/2026") == parse_period("2026-03")


def test_december_rolls_into_next_year():
    december = parse_period("2026-12")
    assert december.end_day == date(2027, 1, 1)


def test_custom_ranges_include_both_named_days():
    period = parse_period("01/02/2027..15/02/2027")
    assert period.kind == PeriodKind.CUSTOM
    assert (period.first_day, period.last_day, period.days) == (
        date(2027, 2, 1),
        date(2027, 2, 15),
        15,
    )
    assert parse_period("2027-02-01..2027-02-15") == period


def test_codes_read_back():
    for text in ("2026", "2026-03", "2026-Q3", "2026-03-01..2026-03-15"):
        assert parse_period(text).code == text
        assert parse_period(parse_period(text).code) == parse_period(text)


def test_previous_period():
    assert parse_period("2026-01").previous().code == "2025-12"
    assert parse_period("2026-Q1").previous().code == "2025-Q4"
    assert parse_period("2026").previous().code == "2025"
    assert parse_period("2026-03-11..2026-03-20").previous().code == "2026-03-01..2026-03-10"


def test_period_containing_uses_local_time():
    late_evening_utc = datetime(2026, 6, 30, 18, 30, tzinfo=UTC)  # 01:30 on 1 July in Hanoi
    assert period_containing(late_evening_utc, PeriodKind.QUARTER).code == "2026-Q3"
    assert period_containing(late_evening_utc, PeriodKind.MONTH).code == "2026-07"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-13",
        "2026-Q5",
        "abc",
        "2026-02-30..2026-03-01",
        "2026-03-10..2026-03-01",
    ],
)
def test_it_rejects_bad_periods_with_a_vietnamese_message(text):
    with translation.override("vi"), pytest.raises(PeriodParseError) as error:
        parse_period(text)
    message = str(error.value)
    assert message
    assert any(ch in message for ch in "ăâđêôơưáàảãạ"), message  # a Vietnamese sentence


def test_labels_in_vietnamese():
    with translation.override("vi"):
        assert parse_period("2026-03").label == "Tháng 3/2026"
        assert parse_period("2026-Q1").label == "Quý I/2026"
        assert parse_period("2026").label == "Năm 2026"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        parse_period("2026").contains(datetime(2026, 5, 1))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # quarters as Vietnamese documents write them, and as the code writes them
        ("Quý 4/2026", "2026-Q4"),
        ("quý IV 2026", "2026-Q4"),
        ("Quý IV/2026", "2026-Q4"),
        ("Quý IV năm 2026", "2026-Q4"),
        ("quy 4 / 2026", "2026-Q4"),
        ("Q4/2026", "2026-Q4"),
        ("q4-2026", "2026-Q4"),
        ("Q4 2026", "2026-Q4"),
        ("2026-Q4", "2026-Q4"),
        ("Quý I/2027", "2027-Q1"),
        ("quý ii 2026", "2026-Q2"),
        ("Quý III/2026", "2026-Q3"),
        ("Quy\u0301 2/2026", "2026-Q2"),  # decomposed (NFD) "Quý", as macOS types it
        # months
        ("10/2026", "2026-10"),
        ("3/2026", "2026-03"),
        ("03-2026", "2026-03"),
        ("Tháng 10/2026", "2026-10"),
        ("tháng 10 năm 2026", "2026-10"),
        ("2026-10", "2026-10"),
        # years
        ("2026", "2026"),
        ("Năm 2026", "2026"),
        ("  năm   2026 ", "2026"),
        # ranges of days, and ranges whose ends are months or quarters
        ("01/10/2026 - 15/10/2026", "2026-10-01..2026-10-15"),
        ("1/10/2026–15/10/2026", "2026-10-01..2026-10-15"),
        ("từ 1/10/2026 đến 15/10/2026", "2026-10-01..2026-10-15"),
        ("01/10/2026..15/10/2026", "2026-10-01..2026-10-15"),
        # without spaces or leading zeros, with "-", "–", "—" or "đến" (acceptance of issue 11)
        ("1/10/2026-15/10/2026", "2026-10-01..2026-10-15"),
        ("1/10/2026 -15/10/2026", "2026-10-01..2026-10-15"),
        ("1/10/2026- 15/10/2026", "2026-10-01..2026-10-15"),
        ("1/9/2026-5/10/2026", "2026-09-01..2026-10-05"),
        ("1/10/2026 – 15/10/2026", "2026-10-01..2026-10-15"),
        ("1/10/2026—15/10/2026", "2026-10-01..2026-10-15"),
        ("1/10/2026 — 15/10/2026", "2026-10-01..2026-10-15"),
        ("1/10/2026 đến 15/10/2026", "2026-10-01..2026-10-15"),
        ("Từ 1/10/2026 đến 5/11/2026", "2026-10-01..2026-11-05"),
        ("01-10-2026-15-10-2026", "2026-10-01..2026-10-15"),
        ("2026-10-01-2026-10-15", "2026-10-01..2026-10-15"),
        ("10/2026-12/2026", "2026-10-01..2026-12-31"),
        ("2026-10-2026-12", "2026-10-01..2026-12-31"),
        ("Q1/2026-Q2/2026", "2026-01-01..2026-06-30"),
        ("2026-10-01..2026-10-15", "2026-10-01..2026-10-15"),
        ("10/2026 - 12/2026", "2026-10-01..2026-12-31"),
        ("Quý 1/2026 - Quý 2/2026", "2026-01-01..2026-06-30"),
        ("15/10/2026", "2026-10-15..2026-10-15"),
        # the labels the pages print read back
        ("Quarter IV/2026", "2026-Q4"),
        ("Month 10/2026", "2026-10"),
        ("Year 2026", "2026"),
    ],
)
def test_it_reads_periods_as_people_write_them(text, code):
    assert parse_period(text).code == code


def test_every_label_reads_back_in_both_languages():
    for code in ("2026", "2026-10", "2026-Q4", "2026-10-01..2026-10-15"):
        for language in ("vi", "en"):
            with translation.override(language):
                assert parse_period(parse_period(code).label).code == code


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Quý 5/2026",
            "Quý phải từ 1 đến 4.",
        ),
        (
            "13/2026",
            "Tháng phải từ 1 đến 12.",
        ),
        (
            "15/10/2026 - 01/10/2026",
            "Ngày kết thúc đang sớm hơn ngày bắt đầu.",
        ),
        ("15/10/2026-1/10/2026", "Ngày kết thúc đang sớm hơn ngày bắt đầu."),
        ("1/10/2026-13/2026", "Tháng phải từ 1 đến 12."),
        (
            "1/10/2026-15/10",
            "“1/10/2026-15/10” không phải là khoảng thời gian hợp lệ. Vui lòng nhập năm (2026), "
            "quý (Quý 4/2026 hoặc Q4/2026), tháng (10/2026) hoặc khoảng ngày "
            "(01/10/2026 - 15/10/2026).",
        ),
        (
            "quý tư",
            "“quý tư” không phải là khoảng thời gian hợp lệ. Vui lòng nhập năm (2026), quý "
            "(Quý 4/2026 hoặc Q4/2026), tháng (10/2026) hoặc khoảng ngày "
            "(01/10/2026 - 15/10/2026).",
        ),
        (
            "31/02/2026 - 15/03/2026",
            "“31/02/2026 - 15/03/2026” không phải là khoảng thời gian hợp lệ. Vui lòng nhập năm "
            "(2026), quý (Quý 4/2026 hoặc Q4/2026), tháng (10/2026) hoặc khoảng ngày "
            "(01/10/2026 - 15/10/2026).",
        ),
        ("", "Nhập khoảng thời gian, ví dụ: 2026, Quý 4/2026 hoặc 10/2026."),
        *(
            (
                text,
                f"“{text}” không phải là khoảng thời gian hợp lệ. Vui lòng nhập năm (2026), "
                "quý (Quý 4/2026 hoặc Q4/2026), tháng (10/2026) hoặc khoảng ngày "
                "(01/10/2026 - 15/10/2026).",
            )
            for text in ("0000", "9999", "Q4/9999", "31/12/9999")
        ),
    ],
)
def test_a_rejected_period_says_why_in_vietnamese(text, message):
    with translation.override("vi"), pytest.raises(PeriodParseError) as error:
        parse_period(text)
    assert str(error.value) == message
