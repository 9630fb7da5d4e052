"""The receipt names the body that received the case and the kind of case it received."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from hailong.core.periods import LOCAL_TZ
from hailong.feedback.models import Case

pytestmark = pytest.mark.django_db


def receipt_text(client, case: Case) -> str:
    response = client.get(f"/cases/{case.code}/receipt.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    # One line of words: the heading's two columns come out interleaved, in reading order.
    return " ".join(reader.pages[0].extract_text().split())


def desk_case(client, org, kind: str) -> Case:
    response = client.post(
        "/cases/new/",
        {
            "channel": "desk",
            "kind": kind,
            "unit": org.unit_a1.pk,
            "content": "Cán bộ tổ hộ tịch đòi tiền ngoài lệ phí",
            "contact_name": "Người Gửi Đơn",
            "contact_address": "Ấp 1",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    return Case.objects.get(kind=kind)


def test_a_denunciation_receipt_is_issued_by_the_receiving_body_and_says_to_cao(
    client_for, clerk_a, org, rules
):
    client = client_for(clerk_a)
    case = desk_case(client, org, "denunciation")
    text = receipt_text(client, case)
    # Heading: the agency, then the unit above the one denounced, which received it (never
    # the unit denounced); the title names a tố cáo, not a PAKN.
    assert text.startswith(
        "TỈNH THỬ NGHIỆM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        f"Phòng Tư pháp A Độc lập - Tự do - Hạnh phúc Số: {case.code} "
    )
    assert " GIẤY TIẾP NHẬN đơn tố cáo Mã tra cứu " in text
    assert "phản ánh" not in text
    # The unit denounced is named once: as what the denunciation is about.
    assert text.count("Tổ hộ tịch A1") == 1
    assert " Đơn vị liên quan Tổ hộ tịch A1 " in text


def test_a_pakn_receipt_is_issued_by_the_unit_and_says_pakn(client_for, clerk_a, org, rules):
    client = client_for(clerk_a)
    case = desk_case(client, org, "pakn")
    text = receipt_text(client, case)
    assert text.startswith(
        "TỈNH THỬ NGHIỆM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        f"Tổ hộ tịch A1 Độc lập - Tự do - Hạnh phúc Số: {case.code} "
    )
    assert " GIẤY TIẾP NHẬN đơn phản ánh, kiến nghị Mã tra cứu " in text


def receipt_lines(client, case: Case) -> list[str]:
    response = client.get(f"/cases/{case.code}/receipt.pdf")
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    return [" ".join(line.split()) for line in text.splitlines()]


@pytest.mark.time_machine(datetime(2026, 12, 1, 9, tzinfo=LOCAL_TZ))
def test_the_receipt_writes_the_place_name_before_the_date(client_for, clerk_a, org, rules):
    # NĐ 30/2020: "địa danh, ngày … tháng … năm …". The agency's place name serves the units
    # under it; a unit with its own place name uses that one.
    org.root.place_name = "Vĩnh Cửu"
    org.root.save()
    client = client_for(clerk_a)
    case = desk_case(client, org, "pakn")
    assert "Vĩnh Cửu, ngày 01 tháng 12 năm 2026" in receipt_lines(client, case)

    org.unit_a1.place_name = "Trị An"
    org.unit_a1.save()
    assert "Trị An, ngày 01 tháng 12 năm 2026" in receipt_lines(client, case)
