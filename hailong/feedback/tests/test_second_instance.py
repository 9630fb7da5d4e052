"""Second-instance complaints (Luật Khiếu nại 2011 art. 37): 45 days from acceptance, 60 when
complex; 60 and 70 in remote areas. The desk form, the correction form and the API record it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from hailong.core.periods import LOCAL_TZ
from hailong.feedback.deadlines import deadlines_for, rules_for
from hailong.feedback.models import Case
from hailong.feedback.tests.test_api_and_reminders import api_post, key  # noqa: F401 (fixture)
from hailong.feedback.tests.test_workflow_http import post

pytestmark = pytest.mark.django_db
# Monday 2/3/2026, no holiday for months around.
TODAY = datetime(2026, 3, 2, 9, tzinfo=LOCAL_TZ)


def desk_complaint(client, org, **extra):
    return client.post(
        "/cases/new/",
        {
            "channel": "desk",
            "kind": "complaint",
            "unit": org.unit_a.pk,
            "content": "Khiếu nại lần hai quyết định giải quyết khiếu nại lần đầu.",
            "contact_name": "Nguyễn Văn An",
            "contact_phone": "0912 345 678",
            "consent": "on",
            **extra,
        },
    )


@pytest.mark.time_machine(TODAY)
def test_the_desk_records_a_second_instance_complaint_with_its_periods(
    client_for, clerk_a, org, rules
):
    desk = client_for(clerk_a)
    page = desk.get("/cases/new/").content.decode()
    assert 'name="instance" value="second"' in page
    assert desk_complaint(desk, org, instance="second").status_code == 302
    case = Case.objects.get()
    assert case.instance == "second"
    assert post(desk, case, "accept").status_code == 302
    case.refresh_from_db()
    # Accepted on 2/3: 45 days → 16/4/2026 (a Thursday).
    assert (case.accepted_on, case.answer_due_on) == (date(2026, 3, 2), date(2026, 4, 16))
    html = desk.get(f"/cases/{case.code}/").content.decode()
    assert '<dd data-testid="instance">Giải quyết lần hai</dd>' in html
    assert "Điều 37" in html  # the legal basis shown with the deadlines

    # Corrected to a first-instance complaint: 30 days → 1/4/2026.
    response = post(desk, case, "update", title=case.title, kind="complaint", flags="1")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.instance, case.answer_due_on) == ("first", date(2026, 4, 1))


@pytest.mark.time_machine(TODAY)
def test_only_a_complaint_has_a_second_instance(client, key, client_for, clerk_a, org, rules):  # noqa: F811
    # The desk's choice shows under a complaint only: chosen, then another kind picked, it is
    # dropped (as the public form's box is); a connected system that sends it is refused.
    response = desk_complaint(client_for(clerk_a), org, kind="pakn", instance="second")
    assert response.status_code == 302
    assert Case.objects.get().instance == "first"
    body = {"kind": "pakn", "unit": "ua", "content": "Phản ánh.", "instance": "second"}
    refused = api_post(client, key, body)
    assert refused.status_code == 422
    assert "Chỉ khiếu nại mới được giải quyết lần hai." in refused.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("is_complex", "is_remote", "due"),
    [
        (False, False, date(2026, 4, 16)),  # 45 days
        (True, False, date(2026, 5, 4)),  # 60 days: 1/5 is Labour Day, then a weekend
        (False, True, date(2026, 5, 4)),  # 60 days
        (True, True, date(2026, 5, 11)),  # 70 days
    ],
)
def test_second_instance_periods(rules, is_complex, is_remote, due):
    found = deadlines_for(
        kind="complaint",
        received_on=date(2026, 3, 2),
        accepted_on=date(2026, 3, 2),
        is_complex=is_complex,
        is_remote=is_remote,
        rules=rules_for("complaint", date(2026, 3, 2), "second"),
    )
    assert found.answer_due_on == due


def test_the_api_takes_the_instance(client, key, org, rules):  # noqa: F811
    body = {
        "kind": "complaint",
        "unit": "UA",
        "content": "Khiếu nại lần hai qua cổng",
        "contact": {"name": "Ông E", "address": "Ấp 3", "consent": True},
        "instance": "second",
    }
    response = api_post(client, key, body)
    assert response.status_code == 201, response.content
    assert response.json()["instance"] == "second"
    assert Case.objects.get().instance == "second"
    refused = api_post(client, key, {**body, "kind": "pakn", "contact": {}})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"instance": "Chỉ khiếu nại mới được giải quyết lần hai."}
    bad = api_post(client, key, {**body, "instance": "third"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"instance"}
    assert Case.objects.count() == 1


@pytest.mark.time_machine(TODAY)
def test_a_citizen_says_on_the_public_form_it_is_a_second_complaint(
    client, client_for, clerk_a, org, rules
):
    page = client.get("/phan-anh/").content.decode()
    assert (
        '<input type="checkbox" name="second_instance" id="id_second_instance"><span>'
        "Tôi đã khiếu nại lần đầu và không đồng ý với quyết định giải quyết khiếu nại "
        "(khiếu nại lần hai)."
    ) in page
    data = {
        "kind": "complaint",
        "unit": org.unit_a.pk,
        "content": "Tôi không đồng ý với quyết định giải quyết khiếu nại lần đầu.",
        "contact_name": "Nguyễn Văn An",
        "contact_phone": "0912 345 678",
        "consent": "on",
        "second_instance": "on",
    }
    assert client.post("/phan-anh/", data).status_code == 302
    case = Case.objects.get()
    assert case.instance == "second"
    desk = client_for(clerk_a)
    assert post(desk, case, "accept").status_code == 302
    case.refresh_from_db()
    # The second instance's 45 days from acceptance on 2/3 (art. 37), not the first's 30.
    assert (case.accepted_on, case.answer_due_on) == (date(2026, 3, 2), date(2026, 4, 16))

    # Ticked, then a PAKN chosen: the box is ignored, not an error.
    data.update(kind="pakn", content="Đề nghị bố trí thêm ghế chờ.")
    assert client.post("/phan-anh/", data).status_code == 302
    assert Case.objects.get(kind="pakn").instance == "first"
