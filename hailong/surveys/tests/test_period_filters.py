"""Every period filter of the survey pages reads Vietnamese notation ("Quý 4/2026", "10/2026")
and, for a period it cannot read, shows the reason and no list: the whole scope under the error
would be taken for the filtered answer. Dates are relative to today (tests/clock.py)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.utils import timezone

from hailong.core.periods import PeriodKind, period_containing
from hailong.surveys.models import Dossier, ResponseExport
from hailong.surveys.services.responses import Submission, response_submit

ROMAN = ("I", "II", "III", "IV")
BAD = "Quý 5/2026"
BAD_MESSAGE = "Quý phải từ 1 đến 4."


def quarter_words(period) -> str:
    """The quarter as a Vietnamese document writes it: "Quý IV/2026"."""
    return f"Quý {ROMAN[(period.first_day.month - 1) // 3]}/{period.first_day.year}"


@pytest.fixture
def quarters(org, sipas, campaign):
    """(this quarter, the one before), with one response given at unit A in each."""
    this = period_containing(timezone.now(), PeriodKind.QUARTER)
    before = this.previous()
    for moment in (timezone.now() - timedelta(minutes=1), before.start + timedelta(hours=10)):
        response_submit(
            Submission(
                version=sipas,
                unit=org.unit_a,
                channel="paper",
                answers={"HL": "4"},
                campaign=campaign,
                submitted_at=moment,
            )
        )
    return this, before


def count_shown(page: str) -> str:
    return re.search(r'data-testid="response-count">([^<]*)<', page).group(1)


def test_the_response_list_reads_a_quarter_written_the_vietnamese_way(
    client_for, secretary, quarters
):
    this, before = quarters
    client = client_for(secretary)
    for text in (quarter_words(this), quarter_words(this).lower().replace("/", " "), this.code):
        page = client.get(f"/surveys/responses/?{urlencode({'period': text})}")
        assert count_shown(page.content.decode()) == "1 phiếu trả lời", text
        assert len(re.findall(r'href="/surveys/responses/\d+/"', page.content.decode())) == 1
    month = f"{before.first_day.month}/{before.first_day.year}"
    page = client.get(f"/surveys/responses/?period={quote(month)}").content.decode()
    assert count_shown(page) == "1 phiếu trả lời"


def test_a_rejected_period_shows_the_reason_and_no_list(client_for, secretary, quarters):
    client = client_for(secretary)
    response = client.get(f"/surveys/responses/?period={quote(BAD)}")
    page = response.content.decode()
    assert response.status_code == 200
    assert BAD_MESSAGE in page
    assert 'data-testid="response-count"' not in page
    assert re.findall(r'href="/surveys/responses/\d+/"', page) == []


def test_an_export_with_a_rejected_period_goes_back_to_the_list_and_its_reason(
    client_for, secretary, quarters
):
    client = client_for(secretary)
    query = urlencode({"period": BAD})
    for response in (
        client.get(f"/surveys/responses/export/?{query}"),
        client.get(f"/surveys/responses/export/?{query}&format=xlsx"),
        client.post(f"/surveys/exports/?{query}", {"file_format": "csv"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == f"/surveys/responses/?{query}"
    assert not ResponseExport.objects.exists()
    assert BAD_MESSAGE in client.get(f"/surveys/responses/?{query}").content.decode()


def test_an_export_of_a_vietnamese_quarter_has_its_responses_only(client_for, secretary, quarters):
    this, _before = quarters
    client = client_for(secretary)
    response = client.get(
        f"/surveys/responses/export/?{urlencode({'period': quarter_words(this)})}"
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3  # codes, labels, the one response of this quarter


def test_the_dossier_register_reads_vietnamese_periods_and_lists_nothing_for_a_bad_one(
    client_for, secretary, org, quarters
):
    this, before = quarters
    for code, moment in (("HS-NOW", timezone.now()), ("HS-BEFORE", before.start)):
        Dossier.objects.create(
            code=code, unit=org.unit_a, received_at=moment, returned_at=moment + timedelta(hours=1)
        )
    client = client_for(secretary)
    page = client.get(f"/surveys/dossiers/?{urlencode({'period': quarter_words(this)})}")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="rates"' in text
    row = re.search(r"<td>Phòng Tư pháp A</td><td class=\"num\">(\d+)</td>", text)
    assert row.group(1) == "1"
    bad = client.get(f"/surveys/dossiers/?period={quote(BAD)}").content.decode()
    assert BAD_MESSAGE in bad
    assert f'value="{BAD}"' in bad  # what was typed, to correct it
    assert 'data-testid="rates"' not in bad and "Phòng Tư pháp A" not in bad


def test_a_year_out_of_the_calendar_is_a_rejected_period_not_a_server_error(
    client_for, secretary, quarters
):
    client = client_for(secretary)
    for path in ("/surveys/responses/", "/surveys/dossiers/", "/cases/statistics/"):
        response = client.get(path, {"period": "9999"})
        assert response.status_code == 200, path
        assert "“9999” không phải là khoảng thời gian hợp lệ." in response.content.decode(), path


def test_a_range_of_days_without_spaces_or_leading_zeros_is_read(client_for, secretary, quarters):
    """Acceptance of issue 11: "1/10/2026-15/10/2026" was refused, "01/10/2026 - 15/10/2026"
    read; written either way (or with "–", "—", "đến") it is the same range."""
    this, _before = quarters
    today = timezone.localdate()
    first, last = this.first_day, today
    ways = [
        f"{first.day}/{first.month}/{first.year}-{last.day}/{last.month}/{last.year}",
        f"{first:%d/%m/%Y} - {last:%d/%m/%Y}",
        f"{first.day}/{first.month}/{first.year}–{last.day}/{last.month}/{last.year}",
        f"{first.day}/{first.month}/{first.year} — {last.day}/{last.month}/{last.year}",
        f"{first.day}/{first.month}/{first.year} đến {last.day}/{last.month}/{last.year}",
    ]
    client = client_for(secretary)
    for text in ways:
        page = client.get(f"/surveys/responses/?{urlencode({'period': text})}").content.decode()
        assert count_shown(page) == "1 phiếu trả lời", text
