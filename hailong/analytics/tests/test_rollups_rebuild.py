"""manage.py rollups_rebuild: recounts a period exactly, and --check says every difference."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import StringIO
from unittest.mock import patch

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections
from django.utils import timezone

from conftest import sipas_answers
from hailong.analytics.models import AnswerDay, AnswerMonth, ScoreMonth
from hailong.analytics.rollups import next_month, spans
from hailong.analytics.tests.recount import python_recount, stored_rollups
from hailong.core.periods import LOCAL_TZ
from hailong.surveys.models import Item
from hailong.surveys.services.responses import Submission, responses_store


def month_ago(n: int):
    """The first day of the month n months before this one."""
    month = timezone.localdate().replace(day=1)
    for _i in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def store_on(org, version, day, **extra):
    moment = datetime.combine(day, time(9, 0), tzinfo=LOCAL_TZ)
    values = {
        "version": version,
        "unit": org.unit_a,
        "channel": "paper",
        "answers": sipas_answers(),
        "submitted_at": moment,
    }
    responses_store([Submission(**(values | extra))])


@pytest.fixture
def two_months(org, sipas):
    """Responses on the 1st and 15th of a month and on the 10th of the next (months ago)."""
    first = month_ago(3)
    store_on(org, sipas, first)
    store_on(org, sipas, first + timedelta(days=14), unit=org.unit_b)
    store_on(org, sipas, next_month(first) + timedelta(days=9))
    return first


def run(*args) -> str:
    out = StringIO()
    call_command("rollups_rebuild", *args, stdout=out)
    return out.getvalue()


def d(day) -> str:
    return day.strftime("%d/%m/%Y")


def test_the_check_of_rollups_kept_by_the_write_path_finds_0_differences(two_months):
    second = next_month(two_months)
    assert run("--check").splitlines() == [
        f"Toàn bộ dữ liệu: từ {d(two_months)} đến {d(next_month(second) - timedelta(days=1))}.",
        "0 chênh lệch.",
    ]
    assert exit_status("--check") == 0


def test_the_check_prints_every_tampered_row_and_exits_1(two_months, org, sipas, capsys):
    hl = Item.objects.get(version=sipas, code="HL")
    day_row = AnswerDay.objects.get(day=two_months, item_id=hl.pk)
    day_row.count = 7
    day_row.save()
    AnswerMonth.objects.filter(month=two_months, item_id=0, unit_id=org.unit_b.pk).delete()
    ScoreMonth.objects.create(
        month=two_months, unit_id=999, channel="web", version_id=sipas.pk, count=2
    )
    with pytest.raises(CommandError) as refused:
        run("--period", f"{two_months:%m/%Y}", "--check")
    assert (str(refused.value), refused.value.returncode) == ("3 chênh lệch.", 1)
    keys = (
        "channel=paper campaign_id=0 version_id={v} item_id={i} value={value} state=0 option_id={o}"
    )
    option = hl.options.get(code="4").pk
    assert run_lines("--period", f"{two_months:%m/%Y}", "--check") == [
        f"Kỳ Tháng {two_months.month}/{two_months.year}: từ {d(two_months)} đến "
        f"{d(next_month(two_months) - timedelta(days=1))}.",
        "Các quý và năm chỉ nằm một phần trong kỳ được lấy cả quý, cả năm ở các bảng theo kỳ: "
        f"Q{(two_months.month - 1) // 3 + 1}/{two_months.year}, {two_months.year}.",
        f"AnswerDay day={two_months} unit_id={org.unit_a.pk} service_id=0 "
        + keys.format(v=sipas.pk, i=hl.pk, value=4, o=option)
        + ": đang lưu 7, đếm lại 1",
        f"AnswerMonth month={two_months} unit_id={org.unit_b.pk} service_id=0 "
        + keys.format(v=sipas.pk, i=0, value=0, o=0)
        + ": đang lưu 0, đếm lại 1",
        f"ScoreMonth month={two_months} unit_id=999 channel=web campaign_id=0 "
        f"version_id={sipas.pk} item_id=0 column=count: đang lưu 2, đếm lại 0",
    ]
    # The command line's exit status.
    assert exit_status("--check") == 1
    assert capsys.readouterr().err.strip().endswith("3 chênh lệch.")


def exit_status(*args) -> int:
    """The command's exit status as on the command line (its connection closing left out: it
    would close the test's)."""
    try:
        with patch.object(connections, "close_all"):
            execute_from_command_line(["manage.py", "rollups_rebuild", *args])
    except SystemExit as exited:
        return exited.code
    return 0


def run_lines(*args) -> list[str]:
    """The lines printed before a refusal (--check with differences)."""
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("rollups_rebuild", *args, stdout=out)
    return out.getvalue().splitlines()


def test_a_rebuild_of_a_range_recounts_its_days_and_its_months_whole(two_months, org, sipas):
    second = next_month(two_months)
    # Tampered in both months; the range covers the 10th to the end of the first month only.
    AnswerDay.objects.update(count=5)
    AnswerMonth.objects.update(count=5)
    ScoreMonth.objects.create(
        month=second, unit_id=999, channel="web", version_id=sipas.pk, count=2
    )
    start, last = two_months + timedelta(days=9), second - timedelta(days=1)
    out = run("--period", f"{d(start)} - {d(last)}").splitlines()
    rows = {
        table: len([k for k in keys if k[0].replace(day=1) == two_months])
        for table, keys in python_recount().items()
    }
    # The period tables: the first month, its quarter and its year, whole.
    touched = {(s.start, s.grain) for s in spans(two_months, second)}
    for table in ("ScorePeriodUnit", "ScorePeriodService"):
        rows[table] = len([k for k in python_recount()[table] if k[:2] in touched])
    quarter = f"Q{(two_months.month - 1) // 3 + 1}/{two_months.year}"
    day_rows = len([k for k in python_recount()["AnswerDay"] if start <= k[0] <= last])
    assert out == [
        f"Kỳ từ {d(start)} đến {d(last)}.",
        "Các tháng chỉ nằm một phần trong kỳ được tính lại cả tháng ở các bảng theo tháng: "
        f"{two_months:%m/%Y}.",
        "Các quý và năm chỉ nằm một phần trong kỳ được lấy cả quý, cả năm ở các bảng theo kỳ: "
        f"{quarter}, {two_months.year}.",
        f"AnswerDay: đã tính lại {day_rows} dòng.",
        f"AnswerMonth: đã tính lại {rows['AnswerMonth']} dòng.",
        f"ScoreMonth: đã tính lại {rows['ScoreMonth']} dòng.",
        f"ScoreMonthService: đã tính lại {rows['ScoreMonthService']} dòng.",
        f"OptionMonth: đã tính lại {rows['OptionMonth']} dòng.",
        f"ScorePeriodUnit: đã tính lại {rows['ScorePeriodUnit']} dòng.",
        f"ScorePeriodService: đã tính lại {rows['ScorePeriodService']} dòng.",
        "Hồ sơ: đã sửa số liệu lưu sẵn của 0 hồ sơ.",
        "Đã tính lại số liệu tổng hợp.",
    ]
    recount, stored = python_recount(), stored_rollups()
    # The range's days and the whole first month are right again; the days before the range
    # (the 1st) and the second month are as they were (tampered).
    assert {k: v for k, v in stored["AnswerDay"].items() if k[0] >= start and k[0] < second} == {
        k: v for k, v in recount["AnswerDay"].items() if k[0] >= start and k[0] < second
    }
    assert set(stored["AnswerDay"].values()) == {1, 5}
    assert (
        AnswerDay.objects.filter(day=two_months, count=5).count()
        == AnswerDay.objects.filter(day=two_months).count()
    )
    for table in ("AnswerMonth", "ScoreMonth", "ScoreMonthService", "OptionMonth"):
        assert {k: v for k, v in stored[table].items() if k[0] == two_months} == {
            k: v for k, v in recount[table].items() if k[0] == two_months
        }
    # The period tables' first month too (its quarter and year are summed from AnswerMonth,
    # whose second month is still tampered).
    for table in ("ScorePeriodUnit", "ScorePeriodService"):
        assert {k: v for k, v in stored[table].items() if k[:2] == (two_months, 1)} == {
            k: v for k, v in recount[table].items() if k[:2] == (two_months, 1)
        }
    assert AnswerMonth.objects.filter(month=second, count=5).exists()
    assert ScoreMonth.objects.filter(unit_id=999).exists()

    # Everything: every table equals the recount, the row of nothing is gone.
    run()
    assert stored_rollups() == python_recount()
    assert run("--check").splitlines()[-1] == "0 chênh lệch."


def test_a_period_that_is_not_one_is_refused_with_the_reason(db):
    with pytest.raises(CommandError) as refused:
        run("--period", "Quý 5/2026")
    assert str(refused.value) == "Quý phải từ 1 đến 4."
    assert exit_status("--period", "tuần sau") == 1


def test_a_quarter_written_the_vietnamese_way_is_read(two_months):
    quarter = (two_months.month - 1) // 3 + 1
    roman = ("I", "II", "III", "IV")[quarter - 1]
    out = run("--period", f"Quý {roman}/{two_months.year}", "--check").splitlines()
    assert out[0].startswith(f"Kỳ Quý {roman}/{two_months.year}: từ ")
    assert out[-1] == "0 chênh lệch."


def test_nothing_to_recount(db):
    assert run("--check").splitlines() == [
        "Chưa có phiếu nào và chưa có số liệu tổng hợp: không có gì để tính lại.",
        "0 chênh lệch.",
    ]
