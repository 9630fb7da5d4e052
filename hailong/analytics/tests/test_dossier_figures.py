"""The dossier register's TT 01/2018 and QĐ 766 figures on the dashboard, against hand counts.

The register in Quý III/2026 (01/07 00:00 to 01/10 00:00, Asia/Ho_Chi_Minh, UTC+7); several
dates sit where the UTC date and the local one differ, so that a comparison in UTC fails:
  UA  HS-A1  due 15/07 10:00, returned 15/07 00:30 (UTC 14/07)    → 1 (on the due day)
      HS-A2  due 16/07 00:15 (UTC 15/07), returned 15/07 23:00     → 2 (before it)
      HS-A3  due 20/07 08:00, returned 21/07 06:00 (UTC 20/07)    → 0, overdue; a PAKN too
      HS-A4  due 10/08, returned 05/08                            → 2; a PAKN; rated 1 too
      HS-A5  due 10/08, returned 10/08                            → 1; rated 1 (unsatisfied)
      HS-A6  no due date, returned 12/08                          → no score; rated 1
      HS-A7  due 10/09, returned 09/09; rated 3; a complaint (not a PAKN) → 2
      HS-A8  due 05/07, returned 01/07 00:05 (UTC 30/06)           → 2 (inside the quarter)
      HS-A9  returned 30/06 23:55, HS-A10 returned 01/10 00:05, HS-A11 open → outside
  UA1 HS-A1-1 due 10/09, returned 11/09                           → 0, overdue
  UB  HS-B1  due 10/08, returned 09/08 → 2;  HS-B2 due 10/08, returned 12/08 → 0, overdue

Everything (the leader): 11 returned, 10 scored: 2×5, 1×2, 0×3 → index 1 = 12/10 = 1,2;
overdue 3 (A3, A1-1, B2), with a PAKN 1 (A4; A3 is already overdue), rated unsatisfied 2
(A5, A6; A4 already has a PAKN) → TTHC satisfaction (11 − 3 − 1 − 2)/11 = 5/11 = 45,45%.
The officer of UA (UA and UA1): 9 returned, 8 scored: 2×4, 1×2, 0×2 → 10/8 = 1,25 → 1,3 (half
up); overdue 2, with a PAKN 1, unsatisfied 2 → 4/9 = 44,44%.
PAKN (QĐ 766): A3's answered late (rated 1), A4's on time (rated 3) → on time 1/2, satisfaction
(2 − 0 − 1)/2: both 50,00%.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_staff
from hailong.analytics.dossier_figures import dossier_counts, dossier_rows
from hailong.analytics.selectors import Slice
from hailong.analytics.tests.test_dashboard_http import by_testid, page, vi_percent, wilson_by_hand
from hailong.core.periods import LOCAL_TZ, quarter
from hailong.feedback.deadlines import install_default_rules
from hailong.feedback.intake import CaseIntake
from hailong.feedback.models import Case
from hailong.feedback.services import case_receive
from hailong.organisation.models import Role
from hailong.organisation.scope import scope_of
from hailong.surveys.models import Dossier, QuestionnaireVersion
from hailong.surveys.services.questionnaires import questionnaire_import, version_publish
from hailong.surveys.services.responses import Submission, responses_store

pytestmark = pytest.mark.time_machine(datetime(2026, 11, 20, 10, 0, tzinfo=LOCAL_TZ))

Q3 = quarter(2026, 3)


def local(day: str, hour: int = 10, minute: int = 0) -> datetime:
    d, m, y = (int(part) for part in day.split("/"))
    return datetime(y, m, d, hour, minute, tzinfo=LOCAL_TZ)


def dossier(unit, code, *, returned, due=None):
    return Dossier.objects.create(
        code=code, unit=unit, received_at=local("01/06/2026"), due_at=due, returned_at=returned
    )


def rating(org, nhanh, unit, code, value):
    responses_store(
        [
            Submission(
                version=nhanh,
                unit=unit,
                channel="kiosk",
                answers={"DG": str(value)},
                dossier_code=code,
                submitted_at=local("20/09/2026"),
            )
        ]
    )


def case(unit, code, *, kind="pakn", answered_on, case_rating):
    install_default_rules()
    received, _created = case_receive(
        CaseIntake(
            kind=kind,
            channel="desk",
            unit=unit,
            title="Hồ sơ trả chậm",
            content="Tôi đến nhận kết quả mà chưa có.",
            dossier_code=code,
            contact_name="Nguyễn Văn An",
            contact_address="Số 1 đường Lê Lợi",
            consent_given=True,
            received_at=local("01/07/2026", 9),
        ),
        actor=None,
    )
    Case.objects.filter(pk=received.pk).update(
        status="closed", answered_on=answered_on, due_on=None, rating=case_rating
    )


@pytest.fixture
def register(org, nhanh, settings):
    settings.HAILONG_MIN_SAMPLE = 3
    ua, ua1, ub = org.unit_a, org.unit_a1, org.unit_b
    dossier(ua, "HS-A1", due=local("15/07/2026", 10), returned=local("15/07/2026", 0, 30))
    dossier(ua, "HS-A2", due=local("16/07/2026", 0, 15), returned=local("15/07/2026", 23))
    dossier(ua, "HS-A3", due=local("20/07/2026", 8), returned=local("21/07/2026", 6))
    dossier(ua, "HS-A4", due=local("10/08/2026"), returned=local("05/08/2026"))
    dossier(ua, "HS-A5", due=local("10/08/2026", 17), returned=local("10/08/2026", 9))
    dossier(ua, "HS-A6", returned=local("12/08/2026"))
    dossier(ua, "HS-A7", due=local("10/09/2026"), returned=local("09/09/2026"))
    dossier(ua, "HS-A8", due=local("05/07/2026"), returned=local("01/07/2026", 0, 5))
    dossier(ua, "HS-A9", due=local("05/07/2026"), returned=local("30/06/2026", 23, 55))
    dossier(ua, "HS-A10", due=local("05/10/2026"), returned=local("01/10/2026", 0, 5))
    dossier(ua, "HS-A11", due=local("05/10/2026"), returned=None)
    dossier(ua1, "HS-A1-1", due=local("10/09/2026"), returned=local("11/09/2026"))
    dossier(ub, "HS-B1", due=local("10/08/2026"), returned=local("09/08/2026"))
    dossier(ub, "HS-B2", due=local("10/08/2026"), returned=local("12/08/2026"))
    rating(org, nhanh, ua, "HS-A4", 1)
    rating(org, nhanh, ua, "HS-A5", 1)
    rating(org, nhanh, ua, "HS-A6", 1)
    rating(org, nhanh, ua, "HS-A7", 3)
    case(ua, "hs-a3", answered_on=date(2026, 8, 20), case_rating=1)  # codes typed in lower case
    case(ua, "HS-A4", answered_on=date(2026, 7, 6), case_rating=3)
    case(ua, "HS-A7", kind="complaint", answered_on=date(2026, 7, 6), case_rating=3)
    return org


def test_the_time_score_in_sql_is_the_dossiers_own_at_local_day_boundaries(register, leader):
    rows = dossier_rows(Slice(period=Q3, scope=scope_of(leader)))
    in_sql = dict(rows.values_list("code", "score"))
    by_python = {d.code: d.time_score for d in Dossier.objects.filter(code__in=in_sql)}
    assert in_sql == by_python
    assert in_sql == {
        "HS-A1": 1,
        "HS-A2": 2,
        "HS-A3": 0,
        "HS-A4": 2,
        "HS-A5": 1,
        "HS-A6": None,
        "HS-A7": 2,
        "HS-A8": 2,
        "HS-A1-1": 0,
        "HS-B1": 2,
        "HS-B2": 0,
    }


def test_the_counts_deduct_each_dossier_once_in_one_query(register, leader):
    slice_ = Slice(period=Q3, scope=scope_of(leader))
    with CaptureQueriesContext(connection) as queries:
        counts = dossier_counts(slice_)
    assert len(queries.captured_queries) == 1
    assert (counts.returned, counts.scored) == (11, 10)
    assert counts.time_scores == {2: 5, 1: 2, 0: 3}
    assert (counts.overdue, counts.with_pakn, counts.unsatisfied) == (3, 1, 2)


def test_an_officer_counts_only_the_dossiers_of_their_units(register, officer_a):
    counts = dossier_counts(Slice(period=Q3, scope=scope_of(officer_a)))
    assert (counts.returned, counts.scored) == (9, 8)
    assert counts.time_scores == {2: 4, 1: 2, 0: 2}
    assert (counts.overdue, counts.with_pakn, counts.unsatisfied) == (2, 1, 2)


def test_the_leader_sees_the_tt01_and_qd766_figures(register, leader, client_for):
    html = page(client_for(leader), "?period=2026-Q3")
    assert by_testid(html, "tt01-index1") == "1,2"
    assert by_testid(html, "tt01-n") == (
        "10 hồ sơ được chấm điểm · 2 điểm: 5, 1 điểm: 2, 0 điểm: 3"
    )
    assert by_testid(html, "tt01-rank") == "chưa xếp hạng: thiếu chỉ số 2, 3, 4, 5, 6, 7, 8, 9"
    assert by_testid(html, "tthc-satisfaction") == "45,45%"
    low, high = wilson_by_hand(5, 11)
    assert by_testid(html, "tthc-n") == f"5/11 ({vi_percent(low)} – {vi_percent(high)})"
    assert by_testid(html, "qd766-pakn-on-time") == "50,00%"
    assert by_testid(html, "qd766-pakn-satisfaction") == "50,00%"
    assert by_testid(html, "tthc-deductions") == (
        "Trong 11 hồ sơ trả kết quả trong kỳ: 3 quá hạn, thêm 1 có PAKN, thêm 2 được đánh giá "
        "chưa hài lòng (mỗi hồ sơ chỉ bị trừ một lần)."
    )


def test_the_officer_sees_their_units_figures(register, officer_a, client_for):
    html = page(client_for(officer_a), "?period=2026-Q3")
    assert by_testid(html, "tt01-index1") == "1,3"  # 10/8 = 1,25, half up
    assert by_testid(html, "tthc-satisfaction") == "44,44%"
    assert by_testid(html, "tthc-n").startswith("4/9 (")


def test_a_unit_below_the_minimum_is_shown_as_not_enough(register, leader, client_for):
    html = page(client_for(leader), f"?period=2026-Q3&unit={register.unit_b.pk}")
    assert by_testid(html, "tt01-index1") == "1,0 chưa đủ mẫu"  # 2 dossiers, the minimum 3
    assert by_testid(html, "tthc-satisfaction") == "50,00% chưa đủ mẫu"


def test_the_dossier_table_downloads_as_csv(register, leader, client_for):
    response = client_for(leader).get("/analytics/?period=2026-Q3&download=dossiers&format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["Hồ sơ trả kết quả"] == ["11", "", "", "", ""]
    assert by_label["Chỉ số 1 TT 01: tổng thời gian (điểm mỗi hồ sơ, 0–2)"] == [
        "12",
        "10",
        "1.2",
        "",
        "",
    ]
    assert by_label["Mức độ hài lòng về giải quyết TTHC (QĐ 766, %)"][:3] == ["5", "11", "45.45"]


def test_the_dossier_table_downloads_as_xlsx_with_the_rank_in_words(register, leader, client_for):
    response = client_for(leader).get("/analytics/?period=2026-Q3&download=dossiers&format=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    by_label = {row[0]: row[1:] for row in rows[2:]}
    assert by_label["Xếp loại TT 01"][2] == "chưa xếp hạng: thiếu chỉ số 2, 3, 4, 5, 6, 7, 8, 9"
    assert by_label["Quá hạn"][:2] == (3, 11)
    assert by_label["Có PAKN (không quá hạn)"][:2] == (1, 11)
    assert by_label["Được đánh giá chưa hài lòng (không thuộc hai loại trên)"][:2] == (2, 11)


def tt01_form(unit, cs1: str, points_2_to_9: str, hour: int):
    """A TT 01 evaluation form (questionnaire tt01): CS1 as given (the register's index 1 is
    used instead), CS2…CS9 all the given option. Two forms alike would be one (a re-sent
    form), so each has its own CS1."""
    tt01 = QuestionnaireVersion.objects.get(questionnaire__code="tt01", number=1)
    answers = {"CS1": cs1, **{f"CS{n}": points_2_to_9 for n in range(2, 10)}}
    responses_store(
        [
            Submission(
                version=tt01,
                unit=unit,
                channel="paper",
                answers=answers,
                submitted_at=local("20/09/2026", hour),
            )
        ]
    )


def test_the_tt01_forms_give_indices_2_to_9_and_the_unit_is_ranked(register, leader, client_for):
    """Three forms at UA: CS2…CS9 2, 2 and 0 points (CS5 offers no 1) → 4/3 = 1,33 → 1,3 each;
    index 1 from the register 1,2 (not the forms' 1): total 1,2 + 8 × 1,3 = 11,6 → Khá
    (9 ≤ total < 12)."""
    for hour, cs1, points in ((8, "D0", "D2"), (9, "D1", "D2"), (10, "D2", "D0")):
        tt01_form(register.unit_a, cs1, points, hour)
    html = page(client_for(leader), "?period=2026-Q3")
    assert by_testid(html, "tt01-index1") == "1,2"
    assert by_testid(html, "tt01-rank") == "Khá"
    rows = re.findall(
        r"<tr><th scope=\"row\">(\d)</th><td class=\"num\">([^<]+)</td>"
        r"<td class=\"num\">(\d+)</td><td>([^<]+)</td>",
        html,
    )
    assert rows == [
        ("1", "1,2", "10", "sổ theo dõi hồ sơ"),
        *((str(n), "1,3", "3", "phiếu đánh giá TT 01") for n in range(2, 10)),
    ]
    response = client_for(leader).get("/analytics/?period=2026-Q3&download=dossiers&format=csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {row[0]: row[1:] for row in lines[1:]}
    assert by_label["Chỉ số 2 TT 01 (phiếu đánh giá TT 01, điểm mỗi hồ sơ, 0–2)"] == [
        "4",
        "3",
        "1.3",
        "",
        "",
    ]
    assert by_label["Xếp loại TT 01"][2] == "Khá"
    # Unit B has no form (indices 2–9 missing) and 2 dossiers (index 1 short).
    html = page(client_for(leader), f"?period=2026-Q3&unit={register.unit_b.pk}")
    assert by_testid(html, "tt01-rank") == (
        "chưa xếp hạng: thiếu chỉ số 2, 3, 4, 5, 6, 7, 8, 9; chỉ số dưới 3 hồ sơ: 1"
    )


def test_points_outside_0_to_2_in_a_tt01_edition_are_left_out(register, leader, client_for):
    """An edition of tt01 whose CS2 offers 3 points: those answers are not TT 01 points, the
    page still answers and CS2 counts only the forms of the built-in edition."""
    secretary = make_staff("thuky_tt01", Role.SECRETARY, [register.root])
    draft = questionnaire_import(
        data={
            "format": "hailong.questionnaire/1",
            "code": "tt01",
            "name": "Phiếu đánh giá TT 01",
            "version": {
                "title_vi": "Phiếu đánh giá TT 01 (bản sửa)",
                "change_note": "Chỉ số 2 thêm mức 3 điểm.",
                "items": [
                    {
                        "code": "CS2",
                        "kind": "single",
                        "text_vi": "Thời gian tại từng cơ quan",
                        "options": [
                            {"code": "D3", "value": 3, "label_vi": "Rất nhanh"},
                            {"code": "D2", "value": 2, "label_vi": "Đúng hạn"},
                        ],
                    }
                ],
            },
        },
        actor=secretary,
    )
    edition = version_publish(version=draft, actor=secretary)
    responses_store(
        [
            Submission(
                version=edition,
                unit=register.unit_a,
                channel="paper",
                answers={"CS2": "D3"},
                submitted_at=local("20/09/2026", 11),
            )
        ]
    )
    tt01_form(register.unit_a, "D0", "D2", 8)
    response = client_for(leader).get("/analytics/?period=2026-Q3")
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(
        r"<tr><th scope=\"row\">(\d)</th><td class=\"num\">([^<]+?)(?: <span[^>]*>[^<]*</span>)?"
        r"</td><td class=\"num\">(\d+)</td>",
        html,
    )
    assert ("2", "2,0", "1") in rows
