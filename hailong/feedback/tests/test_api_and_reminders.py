"""POST /api/v1/cases and the daily reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from hailong.api.tokens import api_token_issue
from hailong.feedback.models import Case, ReminderRun
from hailong.feedback.reminders import send_reminders
from hailong.feedback.services import local_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(admin_user, org):
    _record, raw = api_token_issue(
        system="Cổng dịch vụ công", scopes=["cases"], units=[org.unit_a], actor=admin_user
    )
    return raw


def api_post(client, key, body, **headers):
    return client.post(
        "/api/v1/cases",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        **headers,
    )


def test_a_connected_system_opens_a_case(client, key, org, rules):
    body = {
        "kind": "pakn",
        "unit": "ua1",
        "channel": "phone",
        "service": "1.001193",
        "content": "Đường dây nóng: phản ánh thái độ cán bộ.",
        "contact": {"name": "Vũ F", "phone": "0977888999", "consent": True},
    }
    response = api_post(client, key, body, HTTP_IDEMPOTENCY_KEY="call-42")
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(code=data["code"])
    assert case.unit == org.unit_a1 and case.channel == "phone" and case.lookup_pin == "8999"
    assert data["answer_due_on"] == case.answer_due_on.isoformat()
    assert "contact" not in data and "0977888999" not in response.content.decode()
    again = api_post(client, key, body, HTTP_IDEMPOTENCY_KEY="call-42")
    assert again.status_code == 200 and again.json()["code"] == case.code
    assert Case.objects.count() == 1


def test_the_api_gives_the_pin_of_a_case_without_a_phone(client, key, org, rules):
    body = {
        "kind": "complaint",
        "unit": "UA",
        "content": "Khiếu nại qua cổng",
        "contact": {"name": "Ông E", "address": "Ấp 3", "consent": True},
    }
    data = api_post(client, key, body).json()
    assert data["lookup_pin"] == Case.objects.get(code=data["code"]).lookup_pin


def test_the_api_refuses_bad_cases_in_vietnamese(client, key, org, rules):
    response = api_post(client, key, {"kind": "x", "unit": "UB", "content": ""})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"kind", "unit"} <= set(errors)
    response = api_post(
        client, key, {"kind": "complaint", "unit": "UA", "content": "Khiếu nại", "contact": {}}
    )
    assert response.status_code == 422 and "contact_name" in response.json()["errors"]
    assert not Case.objects.exists()


def test_a_key_without_the_cases_scope_is_refused(client, admin_user, org):
    _record, raw = api_token_issue(
        system="Khác", scopes=["responses"], units=[org.unit_a], actor=admin_user
    )
    assert api_post(client, raw, {}).status_code == 403


def test_reminders_go_to_the_officer_in_charge_and_the_desk_once_a_day(
    clerk_a, officer_a, officer_b, org, new_case
):
    clerk_a.email, officer_a.email, officer_b.email = "tn@x.vn", "cb@x.vn", "b@x.vn"
    for person in (clerk_a, officer_a, officer_b):
        person.save()
    late = new_case(received=datetime(2026, 3, 2, 9))  # due 16/3
    soon = new_case(received=datetime(2026, 3, 9, 9))  # due 23/3
    Case.objects.filter(pk=soon.pk).update(assignee=officer_a, status="assigned")
    new_case(received=datetime(2026, 3, 19, 9))  # due 2/4: not yet
    sent, _log = send_reminders(today=date(2026, 3, 18), base_url="https://hl.example")
    assert sent == 2
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_person) == {"tn@x.vn", "cb@x.vn"}
    assert late.code in by_person["tn@x.vn"] and soon.code not in by_person["tn@x.vn"]
    assert soon.code in by_person["cb@x.vn"]
    assert f"https://hl.example/cases/{soon.code}/" in by_person["cb@x.vn"]
    assert send_reminders(today=date(2026, 3, 18), base_url="")[0] == 0  # once a day
    assert ReminderRun.objects.get(day=date(2026, 3, 18)).sent == 2


def test_the_command_emails_and_logs_once_a_day(new_case, clerk_a, capsys):
    clerk_a.email = "tn@x.vn"
    clerk_a.save()
    late = new_case(received=timezone.now() - timedelta(days=60))  # the command reads the clock
    call_command("case_reminders")
    out = capsys.readouterr().out
    assert "tiepnhan_a: 1 overdue" in out and "1 reminder emails sent" in out
    assert len(mail.outbox) == 1 and late.code in mail.outbox[0].body
    call_command("case_reminders")
    assert "already sent" in capsys.readouterr().out and len(mail.outbox) == 1


def test_the_command_names_who_has_no_email_and_keeps_the_day_open(
    new_case, clerk_a, officer_a, capsys
):
    # Nobody has an address: the log says so per person, and the day is not marked as sent.
    case = new_case(received=timezone.now() - timedelta(days=60))
    Case.objects.filter(pk=case.pk).update(assignee=officer_a, status="assigned")
    new_case(received=timezone.now() - timedelta(days=60))  # nobody in charge: the desk's
    call_command("case_reminders")
    out = capsys.readouterr().out.splitlines()
    no_address = " – NOT SENT: no email address (set one on the staff page)"
    assert out == [
        f"canbo_a: 1 overdue, 0 due soon{no_address}",
        f"tiepnhan_a: 1 overdue, 0 due soon{no_address}",
        f"No reminder email went out: {local_today()} is not marked as sent.",
        "0 reminder emails sent.",
    ]
    assert mail.outbox == [] and not ReminderRun.objects.exists()
    # Once an address is set, the same day's next run sends.
    clerk_a.email = "tn@x.vn"
    clerk_a.save()
    call_command("case_reminders")
    out = capsys.readouterr().out.splitlines()
    assert "tiepnhan_a: 1 overdue, 0 due soon – sent to tn@x.vn" in out
    assert out[-1] == "1 reminder emails sent."
    assert [m.to for m in mail.outbox] == [["tn@x.vn"]]
    assert ReminderRun.objects.get().sent == 1


def test_the_api_stores_the_phone_in_its_national_form(client, key, org, rules):
    body = {
        "kind": "pakn",
        "unit": "ua1",
        "channel": "phone",
        "content": "Đường dây nóng: phản ánh thái độ cán bộ.",
        "contact": {"name": "Vũ F", "phone": "+84 977 888 999", "consent": True},
    }
    response = api_post(client, key, body)
    assert response.status_code == 201, response.content
    assert Case.objects.get(code=response.json()["code"]).contact_phone == "0977888999"
