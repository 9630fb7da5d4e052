"""The leaders' dashboard over HTTP, against hand-computed figures.

The story (the clock on 20/11/2026, the minimum sample set to 3 answers), in Quý III/2026:
- SIPAS forms answer every criterion with the same score (conftest.sipas_answers; PA3 "không
  áp dụng"), so each criterion's share, and hence every element and the SIPAS index, is the
  share of forms scored 4 or 5:
    UA (Phòng Tư pháp A), paper, no procedure: 5, 4, 2      → 2 of 3
    UA1 (Tổ hộ tịch A1), web, procedure 1.001193: 4, 4, 5   → 3 of 3
    UB (Phòng Đất đai B), paper, no procedure: 4, 1         → 1 of 2 (below the minimum)
  all: 6 of 8 = 75,00%.
- Quý II/2026 (the previous quarter): UA, paper: 5, 1 → 50,00%.
- Quick forms at UA's kiosk: Chưa hài lòng ×2 (reasons CHO+THAIDO, CHO), Rất hài lòng,
  Hài lòng → 3-level satisfaction 2 of 4; reasons CHO 2 of 2, THAIDO 1 of 2.
- Four PAKN received 01/07/2026: three at UA (answered on time and rated 3; late, rated 1; on
  time, rated 2), one at UB answered on time → PAKN on time 3 of 4.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from math import sqrt

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hailong.analytics.tests.story import build_story, sipas_form
from hailong.core.periods import LOCAL_TZ
from hailong.surveys.models import Dossier

pytestmark = pytest.mark.time_machine(datetime(2026, 11, 20, 10, 0, tzinfo=LOCAL_TZ))

URL = "/analytics/"
Z = 1.959963984540054  # the 97.5% point of the normal distribution


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    """Wilson's score interval, from its formula (Wilson 1927)."""
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


# The overall index's weights: 1/5 per element, shared by its criteria used (TC 4, TT 4,
# CC 5, KQ 3, PA 2: PA3 has only "không áp dụng"). With every criterion alike, the MOVER
# interval is the Wilson one scaled by √Σw² about the index.
SUM_W2 = (4 / 16 + 4 / 16 + 5 / 25 + 3 / 9 + 2 / 4) / 25


def vi_percent(share: float) -> str:
    """A share as the page writes it: 2 decimals, half up, decimal comma."""
    from decimal import ROUND_HALF_UP, Decimal

    value = Decimal(share).scaleb(2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value}".replace(".", ",") + "%"


def overall_interval(k: int, n: int) -> tuple[str, str]:
    p = k / n
    low, high = wilson_by_hand(k, n)
    root = sqrt(SUM_W2)
    return vi_percent(p - root * (p - low)), vi_percent(p + root * (high - p))


def interval_text(k: int, n: int) -> str:
    return " – ".join(overall_interval(k, n))


@pytest.fixture
def story(org, sipas, nhanh, settings):
    settings.HAILONG_MIN_SAMPLE = 3
    return build_story(org, sipas, nhanh)


def by_testid(html: str, name: str) -> str:
    match = re.search(rf'data-testid="{re.escape(name)}"[^>]*>(.*?)</', html, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def table_rows(html: str, name: str) -> list[list[str]]:
    match = re.search(rf'<table[^>]*data-testid="{name}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert match, name
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def page(client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_leader_sees_the_quarters_figures_computed_by_hand(story, leader, client_for):
    html = page(client_for(leader), "?period=Quý III/2026")
    assert by_testid(html, "dash-period") == "Quý III/2026"
    assert by_testid(html, "tile-sipas-value") == "75,00%"
    low, high = overall_interval(6, 8)
    tile = re.search(r'data-testid="tile-sipas".*?</div>', html, re.S).group(0)
    assert f"n = 144 · [{low} – {high}]" in tile  # 18 criteria × 8 answers
    assert by_testid(html, "tile-sipas-previous") == "+25,00"  # 75,00 − 50,00
    assert by_testid(html, "tile-rating3-value") == "50,00%"
    assert by_testid(html, "tile-responses-value") == "12"  # 8 SIPAS + 4 quick forms
    assert by_testid(html, "tile-responses-previous") == "+10"
    assert by_testid(html, "tile-pakn-value") == "75,00%"
    lo, hi = wilson_by_hand(3, 4)
    pakn_tile = re.search(r'data-testid="tile-pakn".*?</div>', html, re.S).group(0)
    assert f"n = 4 · [{vi_percent(lo)} – {vi_percent(hi)}]" in pakn_tile

    assert table_rows(html, "dash-units") == [
        ["1", "Tổ hộ tịch A1", "100,00%", interval_text(3, 3), "3"],
        ["2", "Phòng Tư pháp A", "66,67%", interval_text(2, 3), "3"],
        # Below the minimum: listed after, not ranked.
        ["—", "Phòng Đất đai B", "50,00% chưa đủ mẫu", interval_text(1, 2), "2"],
    ]
    services = table_rows(html, "dash-services")
    assert [(r[0], r[1], r[2], r[4]) for r in services] == [
        ("1", "1.001193 Đăng ký khai sinh", "100,00%", "3"),
        # The responses naming no procedure are no procedure to compare: last, never ranked,
        # though their 60 % would be "the worst".
        ("—", "(không ghi thủ tục)", "60,00%", "5"),
    ]
    fields = table_rows(html, "dash-fields")
    assert [(r[0], r[1], r[2]) for r in fields] == [
        ("1", "Hộ tịch", "100,00%"),
        ("—", "(không có lĩnh vực)", "60,00%"),
    ]
    channels = table_rows(html, "dash-channels")
    assert [(r[0], r[1], r[3]) for r in channels] == [
        ("Biểu mẫu trực tuyến (mã QR)", "100,00%", "3"),
        ("Phiếu giấy", "60,00%", "5"),
    ]
    trend = table_rows(html, "dash-trend")
    # July: 5 (UA), 4 (UB) → 2/2; August: 4, 2 (UA), 1 (UB) → 1/3; September: 4, 4, 5 → 3/3.
    assert [(r[0], r[1], r[3]) for r in trend] == [
        ("Tháng 7/2026", "100,00% chưa đủ mẫu", "2"),
        ("Tháng 8/2026", "33,33%", "3"),
        ("Tháng 9/2026", "100,00%", "3"),
    ]
    elements = table_rows(html, "dash-elements")
    assert elements[0][:3] == ["TC", "Tiếp cận dịch vụ hành chính công", "75,00%"]
    criterion = next(r for r in elements if r[0] == "CC1")
    # Mean answer (5 + 4 + 2 + 4 + 4 + 5 + 4 + 1) / 8 = 3,625 → 3,63
    assert criterion[2] == "75,00%" and criterion[4:] == ["3,63", "8"]
    pa3 = next(r for r in elements if r[0] == "PA3")
    assert pa3[2:] == ["—", "—", "—", "0"]
    assert [r[0] for r in table_rows(html, "dash-reasons")] == [
        "Phải chờ lâu",
        "Thái độ phục vụ chưa tốt",
        "Hướng dẫn chưa rõ ràng",
        "Phải bổ sung hồ sơ nhiều lần",
        "Trả kết quả trễ hẹn",
        "Cơ sở vật chất chưa tốt",
        "Lý do khác",
    ]
    assert table_rows(html, "dash-reasons")[:2] == [
        ["Phải chờ lâu", "2", "100,00%"],
        ["Thái độ phục vụ chưa tốt", "1", "50,00%"],
    ]
    comments = re.findall(r'<p class="prewrap">(.*?)</p>', html, re.S)
    # Newest first; the second "chưa hài lòng" rating has no comment, satisfied ones are left out.
    assert comments == ["Phải chờ quá lâu", "Thái độ chưa tốt", "Chờ đợi lâu, hướng dẫn chưa rõ"]
    assert by_testid(html, "cases-received") == "4"
    assert by_testid(html, "cases-on-time") == "75,00%"
    assert by_testid(html, "cases-satisfied") == "75,00%"  # rated 3, 1, 2, 3


def test_filters_change_the_figures(story, leader, client_for):
    browser = client_for(leader)
    html = page(browser, f"?period=2026-Q3&unit={story.unit_a.pk}")
    assert by_testid(html, "tile-sipas-value") == "83,33%"  # UA and UA1: 5 of 6
    assert [r[1] for r in table_rows(html, "dash-units")] == ["Tổ hộ tịch A1", "Phòng Tư pháp A"]
    assert by_testid(html, "cases-received") == "3"  # UA's three PAKN
    html = page(browser, "?period=Q3/2026&channel=web")
    assert by_testid(html, "tile-sipas-value") == "100,00%"
    assert by_testid(html, "tile-responses-value") == "3"
    html = page(browser, f"?period=Q3/2026&field={story.service_a.field_id}")
    assert by_testid(html, "tile-sipas-value") == "100,00%"
    html = page(browser, "?period=Q3/2026&procedure=1.001193")
    assert [r[1] for r in table_rows(html, "dash-services")] == ["1.001193 Đăng ký khai sinh"]
    html = page(browser, "?period=08/2026")
    assert by_testid(html, "tile-sipas-value") == "33,33%"
    # A month's trend is the 12 months to it.
    trend = table_rows(html, "dash-trend")
    assert (trend[0][0], trend[-1][0], len(trend)) == ("Tháng 9/2025", "Tháng 8/2026", 12)
    html = page(browser, "?period=01/07/2026 - 31/07/2026")
    assert by_testid(html, "tile-sipas-value") == "100,00%"


def test_a_unit_officer_sees_only_their_scope(story, officer_a, client_for):
    browser = client_for(officer_a)
    html = page(browser, "?period=Quý III/2026")
    assert by_testid(html, "tile-sipas-value") == "83,33%"  # given at UA or UA1
    assert "Phòng Đất đai B" not in html
    assert "Thái độ chưa tốt" not in html  # UB's comment
    options = re.findall(
        r'<option value="(\d+)"', html.split('name="unit"')[1].split("</select>")[0]
    )
    assert sorted(int(o) for o in options) == sorted([story.unit_a.pk, story.unit_a1.pk])
    assert browser.get(f"{URL}?period=2026-Q3&unit={story.unit_b.pk}").status_code == 404
    assert browser.get(f"{URL}?period=2026-Q3&unit={story.root.pk}").status_code == 404
    download = browser.get(f"{URL}?period=2026-Q3&download=units&format=csv")
    text = download.content.decode("utf-8-sig")
    assert "Phòng Đất đai B" not in text and "Phòng Tư pháp A" in text


def test_a_bad_period_shows_the_error_and_no_figures(story, leader, client_for):
    html = page(client_for(leader), "?period=Quý V/2026")
    assert 'data-testid="dash-error"' in html
    assert 'data-testid="dash-tiles"' not in html and "75,00%" not in html
    assert 'value="Quý V/2026"' in html
    response = client_for(leader).get(URL + "?period=Quý V/2026&download=units&format=xlsx")
    assert response["Content-Type"].startswith("text/html")


def test_downloads_are_the_pages_figures_exactly_as_filtered(story, leader, client_for):
    browser = client_for(leader)
    query = f"?period=2026-Q3&unit={story.unit_a.pk}"
    html = page(browser, query)
    response = browser.get(f"{URL}{query}&download=units&format=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="tong-hop-units-2026-Q3.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:5] == ("Hạng", "Đơn vị", "Phiếu trả lời", "Số câu trả lời (n)", "Chỉ số (%)")
    shown = table_rows(html, "dash-units")
    assert [(r[0], r[1], r[2], r[4]) for r in rows[2:]] == [
        (1, "Tổ hộ tịch A1", 3, 100.0),
        (2, "Phòng Tư pháp A", 3, 66.67),
    ]
    assert [f"{r[4]:.2f}".replace(".", ",") + "%" for r in rows[2:]] == [s[2] for s in shown]
    response = browser.get(f"{URL}?period=2026-Q3&download=elements&format=csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[1][:4] == ["TC", "Tiếp cận dịch vụ hành chính công", "32", "75.0"]
    response = browser.get(f"{URL}?period=2026-Q3&download=tiles&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[2][:3] == ("Chỉ số SIPAS", 144, 75.0)
    assert browser.get(f"{URL}?period=2026-Q3&download=nothing&format=csv").status_code == 404
    assert browser.get(f"{URL}?period=2026-Q3&download=units&format=pdf").status_code == 404


def test_csv_downloads_guard_text_against_formulas(org, sipas, leader, client_for, settings):
    settings.HAILONG_MIN_SAMPLE = 3
    sipas_form(org, sipas, date(2026, 8, 1), 1, unit=org.unit_a, comment="=HYPERLINK(1)")
    response = client_for(leader).get(f"{URL}?period=2026-Q3&download=comments&format=csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[1][4] == "'=HYPERLINK(1)"


def test_the_page_costs_the_same_queries_at_two_data_sizes(story, leader, client_for, sipas):
    browser = client_for(leader)
    query = "?period=2026-Q3"
    page(browser, query)  # warm: the questionnaire's schema is cached per process

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            page(browser, query)
        return len(queries.captured_queries)

    small = counted()
    for i in range(30):
        sipas_form(
            story,
            sipas,
            date(2026, 7, 1 + i % 28),
            1 + i % 5,
            unit=(story.unit_a, story.unit_a1, story.unit_b)[i % 3],
            service=(story.service_a, story.service_b, None)[i % 3],
            channel=("paper", "web")[i % 2],
            comment=f"Ý kiến {i}",
        )
        # The dossier register grows too (returned in the quarter, some late, some rated).
        returned = datetime(2026, 7, 1 + i % 28, 15, tzinfo=LOCAL_TZ)
        Dossier.objects.create(
            code=f"HS-{i}",
            unit=(story.unit_a, story.unit_a1, story.unit_b)[i % 3],
            received_at=returned - timedelta(days=10),
            due_at=returned + timedelta(days=i % 3 - 1),
            returned_at=returned,
        )
    assert counted() == small
    # 45: the dossier register's figures (TT 01, QĐ 766) add one aggregate query and the TT 01
    # forms' counts one read, and whether the leader's scope takes in every unit
    # (Scope.sees_every_unit) one more; the procedures and the fields share one read.
    assert small == 45


@pytest.mark.time_machine(datetime(2026, 9, 20, 10, 0, tzinfo=LOCAL_TZ))
def test_the_leaders_home_page_starts_with_the_quarters_headline(story, leader, client_for):
    response = client_for(leader).get("/")
    html = response.content.decode()
    headline = html.split('data-testid="home-headline"')[1].split("</section>")[0]
    assert "Sự hài lòng trong Quý III/2026" in headline
    assert by_testid(headline, "tile-sipas-value") == "75,00%"
    assert by_testid(headline, "tile-responses-value") == "12"
    assert 'href="/analytics/"' in headline
    assert html.index('data-testid="home-headline"') < html.index('id="scope-title"')


def test_only_the_leaders_home_page_has_the_headline(org, secretary, officer_a, client_for):
    for person in (secretary, officer_a):
        assert "home-headline" not in client_for(person).get("/").content.decode()


def test_the_charts_are_drawn_on_the_server_with_their_numbers_in_tables(story, leader, client_for):
    html = page(client_for(leader), "?period=2026-Q3")
    charts = re.findall(r"<svg [^>]*>", html)
    # The trend twice: wide, and drawn for a phone (the stylesheet shows one of them).
    assert [re.search(r'aria-label="([^"]+)"', c).group(1) for c in charts] == [
        "Chỉ số SIPAS và số phiếu theo tháng",
        "Chỉ số SIPAS và số phiếu theo tháng",
        "Chỉ số SIPAS theo đơn vị",
    ]
    assert [re.search(r'class="([^"]+)"', c).group(1) for c in charts] == [
        "chart chart--wide",
        "chart chart--narrow",
        "chart chart--bars",
    ]
    assert all('role="img"' in c for c in charts)
    # The CSP refuses inline script and <style> elements; nothing is loaded from elsewhere.
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert "<style" not in main and "<script" not in main
    assert re.findall(r'(?:src|href)="https?:', main) == []
    # Three months in the trend, three units: a point or bar each, the same numbers in tables.
    for trend in charts[:2]:
        assert html.split(trend)[1].split("</svg>")[0].count("<circle") == 3
    units_svg = html.split(charts[2])[1].split("</svg>")[0]
    assert units_svg.count("<rect") == 3
    assert len(table_rows(html, "dash-trend")) == 3 and len(table_rows(html, "dash-units")) == 3


def test_each_download_is_audited_with_its_table_format_and_the_pages_filters(
    story, leader, client_for
):
    from hailong.core.audit import action_label
    from hailong.core.models import AuditEntry

    browser = client_for(leader)
    query = f"?period=Quý III/2026&unit={story.unit_a.pk}&channel=paper&procedure="
    assert browser.get(f"{URL}{query}&download=units&format=csv").status_code == 200
    assert browser.get(f"{URL}?period=2026-Q2&download=elements&format=xlsx").status_code == 200
    assert browser.get(f"{URL}?period=2026-Q3&download=nothing&format=csv").status_code == 404
    entries = list(AuditEntry.objects.filter(action="dashboard.export").order_by("pk"))
    assert [
        (e.actor, e.actor_name, e.target_type, e.target_id, e.before, e.after, e.ip)
        for e in entries
    ] == [
        (
            leader,
            leader.username,
            None,
            "",
            None,
            {
                "table": "units",
                "format": "csv",
                "filters": {"period": "2026-Q3", "unit": str(story.unit_a.pk), "channel": "paper"},
            },
            "127.0.0.1",
        ),
        (
            leader,
            leader.username,
            None,
            "",
            None,
            {"table": "elements", "format": "xlsx", "filters": {"period": "2026-Q2"}},
            "127.0.0.1",
        ),
    ]
    assert action_label("dashboard.export") == "tải bảng số liệu của trang tổng hợp"


def test_the_latest_comments_are_the_ten_newest_of_more(story, sipas, leader, client_for):
    # More candidates than the panel shows, two forms of the same moment a day (pk breaks the
    # tie), satisfied forms with comments and an unsatisfied one with only the sample's other
    # free-text answer in between; the quarter ends after them (the walk starts at its end).
    for i in range(12):
        day = date(2026, 9, 18 + i // 2)
        sipas_form(story, sipas, day, 1 + i % 2, unit=story.unit_a, comment=f"Chậm {i}")
        sipas_form(story, sipas, day, 5, unit=story.unit_a, comment=f"Tốt {i}")
        sipas_form(story, sipas, day, 1, unit=story.unit_a)
    sipas_form(story, sipas, date(2026, 10, 1), 1, unit=story.unit_a, comment="Quý IV")
    html = page(client_for(leader), "?period=Quý III/2026")
    comments = re.findall(r'<p class="prewrap">(.*?)</p>', html, re.S)
    other = "Cán bộ nhiệt tình."  # the sample's free-text answer (conftest.sipas_answers)
    assert comments == [x for i in (11, 10, 9, 8, 7) for x in (other, f"Chậm {i}")]
