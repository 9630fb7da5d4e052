"""The campaign form says what is wrong at its top: a banner before the fields lists each
problem, with a link to its field, in the form's order (a refusal beside the channels or the
take-over box, far down the page, went unseen)."""

import html
import re
from datetime import date

import pytest

from hailong.surveys.models import Campaign

from .test_campaign_overlaps import REFUSED, quick_form, sipas_2026  # noqa: F401 (a fixture)

pytestmark = pytest.mark.time_machine("2026-12-01 09:00 +07:00", tick=False)

KIOSK_REFUSED = (
    "Ki-ốt chỉ hiển thị ba khuôn mặt: phiên bản phiếu này không có câu hỏi đánh giá ba mức. "
    "Hãy bỏ chọn kênh ki-ốt hoặc chọn phiếu đánh giá nhanh."
)


def banner(page: str) -> list[str]:
    """The banner's lines as read, each link written [label](#target)."""
    assert page.count('data-testid="error-summary"') == 1
    start = page.index('data-testid="error-summary"')
    # Before the form and its first field.
    assert start < page.index('<form method="post" class="card form"')
    block = page[start : page.index("</div>", start)]
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    return [
        html.unescape(re.sub(r'<a href="([^"]+)">(.*?)</a>', r"[\2](\1)", item)) for item in items
    ]


def test_the_errors_are_listed_at_the_top_in_the_forms_order_with_links(
    client_for, secretary, org, sipas
):
    client = client_for(secretary)
    response = client.post(
        "/surveys/campaigns/new/",
        quick_form(org, sipas, ends_on="2026-11-30", channels=["web", "kiosk"]),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa lưu được: hãy sửa các mục được liệt kê ở đây." in page
    assert banner(page) == [
        "[Ngày kết thúc](#id_ends_on): Đợt khảo sát không thể kết thúc trước ngày bắt đầu.",
        f"[Các kênh tiếp nhận](#id_channels): {KIOSK_REFUSED}",
    ]


@pytest.mark.usefixtures("sipas_2026")  # SIPAS 2026 open at every unit until 31/12
def test_an_overlap_refusal_is_in_the_banner_before_the_fields(client_for, secretary, org, nhanh):
    quick = Campaign.objects.create(
        name="Đánh giá nhanh một cửa",
        version=nhanh,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 1, 31),
        channels=["web", "kiosk"],
        status="open",
    )
    quick.units.set([org.unit_a])
    # Moved to start today, it would run beside SIPAS 2026 at unit A.
    response = client_for(secretary).post(
        f"/surveys/campaigns/{quick.pk}/edit/", quick_form(org, nhanh)
    )
    assert response.status_code == 200
    assert banner(response.content.decode()) == [
        f"[Cho đợt này thay thế](#id_take_over): {REFUSED}"
    ]


def test_a_form_without_errors_has_no_banner(client_for, secretary):
    page = client_for(secretary).get("/surveys/campaigns/new/").content.decode()
    assert 'data-testid="error-summary"' not in page


def test_the_unit_and_channel_groups_are_fieldsets_named_by_a_legend(client_for, secretary):
    page = client_for(secretary).get("/surveys/campaigns/new/").content.decode()
    assert '<label for="">' not in page
    for name, label in [("units", "Đơn vị được khảo sát"), ("channels", "Các kênh tiếp nhận")]:
        start = page.index(f"<legend>{label}")
        fieldset = page[page.rindex("<fieldset", 0, start) : page.index("</fieldset>", start)]
        assert f'<div id="id_{name}"' in fieldset
