"""What the Vietnamese staff pages say: statuses and channels by their labels, never their
codes; numbers with the Vietnamese thousands separator; empty choices in words; one error per
duplicate choice code, on its row. Dates relative to today (tests/clock.py)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hailong.core.jobs import run_pending_jobs
from hailong.surveys.models import Campaign
from hailong.surveys.services.questionnaires import version_new_draft
from hailong.surveys.tests.test_file_import import csv_bytes, row


def campaign_data(org, sipas, **changes) -> dict:
    today = timezone.localdate()
    return {
        "name": "Khảo sát năm",
        "version": sipas.pk,
        "starts_on": f"{today:%Y-%m-%d}",
        "ends_on": f"{today + timedelta(days=30):%Y-%m-%d}",
        "units": [org.unit_a.pk],
        "channels": ["web"],
        "target_responses": 2815,
        **changes,
    }


def test_the_campaign_history_and_progress_speak_vietnamese(client_for, secretary, org, sipas):
    client = client_for(secretary)
    assert client.post("/surveys/campaigns/new/", campaign_data(org, sipas)).status_code == 302
    campaign = Campaign.objects.get(name="Khảo sát năm")
    edited = campaign_data(org, sipas, channels=["web", "paper"], target_responses=5000)
    client.post(f"/surveys/campaigns/{campaign.pk}/edit/", edited)
    client.post(f"/surveys/campaigns/{campaign.pk}/status/", {"status": "open"})
    page = client.get(f"/surveys/campaigns/{campaign.pk}/").content.decode()
    changes = re.findall(r"<li>([^<]*→[^<]*)</li>", page)
    assert changes == [
        "Trạng thái: Đang chuẩn bị → Đang mở",
        "Các kênh tiếp nhận: Biểu mẫu trực tuyến (mã QR) → Phiếu giấy, Biểu mẫu trực tuyến (mã QR)",
        "Số phiếu mục tiêu: 2.815 → 5.000",
    ]
    progress = re.search(r'data-testid="progress">(.*?)</p>', page).group(1)
    assert progress == "<strong>0</strong> / 5.000 (0%) phiếu trả lời"
    listed = client.get("/surveys/campaigns/").content.decode()
    assert '<td class="num">0 / 5.000</td>' in listed


def test_required_drop_downs_start_with_a_vietnamese_empty_choice(
    client_for, secretary, org, sipas
):
    client = client_for(secretary)
    draft = version_new_draft(source=sipas, actor=secretary)
    for path in (
        "/surveys/campaigns/new/",
        "/surveys/imports/",
        f"/surveys/versions/{draft.pk}/items/add/",  # the question's kind
    ):
        page = client.get(path).content.decode()
        assert "---------" not in page, path
        assert '<option value="" selected>— Chọn —</option>' in page, path


def test_two_choices_with_one_code_mark_the_second_row_in_vietnamese(client_for, secretary, sipas):
    draft = version_new_draft(source=sipas, actor=secretary)
    item = draft.items.get(code="HL")
    data = {
        "code": item.code,
        "section": item.section_id or "",
        "order": item.order,
        "kind": item.kind,
        "text_vi": item.text_vi,
        "required": "on",
        "options-TOTAL_FORMS": "2",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for n, label in enumerate(("Có", "Không")):
        data.update(
            {f"options-{n}-code": "X", f"options-{n}-label_vi": label, f"options-{n}-order": n}
        )
    options_before = list(item.options.values_list("code", flat=True))
    response = client_for(secretary).post(f"/surveys/versions/{draft.pk}/items/{item.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "trùng lặp" not in page
    assert "Mỗi lựa chọn cần một mã riêng: hãy đổi mã ở dòng được đánh dấu." in page
    assert page.count("Đã có một lựa chọn khác mang mã “X”.") == 1
    assert re.search(r'name="options-1-code"[^>]*aria-invalid="true"', page)
    assert not re.search(r'name="options-0-code"[^>]*aria-invalid="true"', page)
    assert list(item.options.values_list("code", flat=True)) == options_before


def test_an_import_error_names_channels_by_label_in_one_sentence(client_for, secretary, sipas):
    # Two problems of reading the row (the answers are checked once the row reads).
    bad = row(unit="KHONGCO")
    bad[3] = "zalo"  # the channel column
    client = client_for(secretary)
    upload = SimpleUploadedFile("phieu.csv", csv_bytes([row(), bad]))
    detail = client.post("/surveys/imports/", {"version": sipas.pk, "file": upload})["Location"]
    run_pending_jobs()
    page = client.get(detail).content.decode()
    errors = re.search(r'data-testid="import-errors">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", errors) == [
        "Đơn vị “KHONGCO” không có trong hệ thống hoặc ngoài phạm vi được giao. Kênh “zalo” "
        "không thuộc các kênh web (Biểu mẫu trực tuyến (mã QR)), kiosk (Ki-ốt đánh giá tại "
        "quầy), paper (Phiếu giấy), import (Nhập từ tệp), api (Hệ thống kết nối (API)), "
        "invitation (Thư mời khách hàng thường xuyên)."
    ]


def test_a_number_below_its_minimum_is_refused_in_a_punctuated_sentence(
    client_for, secretary, org, campaign
):
    page = client_for(secretary).post(
        f"/surveys/paper/{campaign.pk}/print/", {"unit": org.unit_a.pk, "count": 0}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Giá trị phải lớn hơn hoặc bằng 1." in text
    assert re.findall(r"\d \.", text) == []
