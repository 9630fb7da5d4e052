"""Issue 10 §14: the public case form mails whatever address is typed, so the mail never
quotes what was typed; only our code, the date and our link."""

from __future__ import annotations

import pytest
from django.core import mail

from hailong.feedback.models import Case

pytestmark = pytest.mark.django_db

SPAM = "Trúng thưởng 100 triệu: bấm http://evil.example/nhan-thuong"


def test_the_acknowledgement_to_a_typed_address_quotes_nothing_typed(
    client, org, rules, settings, django_capture_on_commit_callbacks
):
    settings.HAILONG_PUBLIC_URL = "https://hailong.example.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/phan-anh/",
            {
                "kind": "pakn",
                "unit": org.unit_a.pk,
                "title": SPAM,
                "content": f"{SPAM} — nội dung",
                "contact_name": "Ông Lừa Đảo",
                "contact_email": "nan-nhan@example.vn",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    case = Case.objects.get()
    [message] = mail.outbox
    assert message.to == ["nan-nhan@example.vn"]
    assert message.subject == f"Đã tiếp nhận hồ sơ phản ánh {case.code} của Ông/Bà"
    for typed in (SPAM, "evil.example", "Lừa Đảo", "nội dung"):
        assert typed not in message.body
    assert f"Mã tra cứu: {case.code}" in message.body
    assert "https://hailong.example.gov.vn/tra-cuu/l/" in message.body
