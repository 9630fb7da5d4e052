"""The deadline-rules page shows the working calendar the deadlines use, with its sources."""

from __future__ import annotations

import re
from datetime import date

import holidays
import pytest

from hailong.core.models import CalendarDay

pytestmark = pytest.mark.django_db


def calendar_rows(html: str) -> list[list[str]]:
    table = html.split('data-testid="calendar-days"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def test_the_rules_page_lists_the_years_days_off_with_their_source(client_for, secretary):
    CalendarDay.objects.create(
        date=date(2026, 11, 24),
        is_day_off=False,
        name="Ngày Văn hóa Việt Nam (không nghỉ)",
        legal_basis="Văn bản của Thủ tướng Chính phủ năm 2026",
    )
    CalendarDay.objects.create(
        date=date(2026, 1, 2), is_day_off=True, name="Nghỉ bù Tết Dương lịch"
    )
    response = client_for(secretary).get("/cases/deadline-rules/?year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lịch làm việc năm 2026" in html
    package = f"thư viện holidays {holidays.__version__} (Việt Nam)"
    rows = calendar_rows(html)
    assert rows[:3] == [
        ["01/01/2026 Thứ 5", "Tết Dương lịch", "ngày nghỉ", package],
        [
            "02/01/2026 Thứ 6",
            "Nghỉ bù Tết Dương lịch",
            "ngày nghỉ",
            "ngoại lệ do quản trị viên nhập, chưa ghi căn cứ",
        ],
        ["16/02/2026 Thứ 2", "Giao thừa Tết Nguyên Đán", "ngày nghỉ", package],
    ]
    by_day = {row[0].split()[0]: row for row in rows}
    # A Saturday worked to make up the bridge day of 31/8, from the package.
    assert by_day["22/08/2026"] == [
        "22/08/2026 Thứ 7",
        "Ngày làm bù (cuối tuần đi làm)",
        "ngày làm việc",
        package,
    ]
    # The administrator's exception wins, and says what the package had said.
    assert by_day["24/11/2026"] == [
        "24/11/2026 Thứ 3",
        "Ngày Văn hóa Việt Nam (không nghỉ)",
        "ngày làm việc",
        "ngoại lệ Văn bản của Thủ tướng Chính phủ năm 2026 thay cho “Ngày Văn hóa Việt Nam” "
        "của thư viện",
    ]
    assert len(rows) == 16  # 14 holidays, a make-up Saturday, one exception added


def test_a_bad_year_is_refused_with_a_message(client_for, secretary):
    response = client_for(secretary).get("/cases/deadline-rules/?year=hai-nghìn")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hãy nhập một năm từ 2000 đến 2100." in html
