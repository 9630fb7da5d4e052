"""Secrets an administrator makes in the admin are shown once, in the answer to the POST that
made them: never in a message, which would carry them in a readable cookie (or keep them in
the session) for the next page (issue 10 §16)."""

import re

from django.contrib.messages import get_messages

from hailong.surveys.models import KioskDevice
from hailong.surveys.selectors.kiosk import kiosk_device_for_token


def test_a_new_kiosk_link_is_shown_once_on_the_answer_to_the_add(client_for, admin_user, org):
    staff = client_for(admin_user)
    answer = staff.post(
        "/admin/surveys/kioskdevice/add/",
        {"service_point": org.point_a.pk, "name": "Máy tính bảng sảnh", "is_active": "on"},
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"].split(", ")  # the admin's never_cache
    token = re.search(r"/kiosk/#token=([\w-]+)", html).group(1)
    assert kiosk_device_for_token(token) == KioskDevice.objects.get()
    assert list(get_messages(answer.wsgi_request)) == []
    assert "messages" not in staff.cookies or staff.cookies["messages"].value == ""
    # Nothing keeps it for later: the next page does not show it.
    after = staff.get("/admin/surveys/kioskdevice/")
    assert after.status_code == 200 and token not in after.content.decode()


def test_messages_travel_in_the_session_never_in_a_cookie(client_for, secretary, campaign):
    staff = client_for(secretary)
    answer = staff.post(f"/surveys/campaigns/{campaign.pk}/invite/")  # refused: a message
    assert answer.status_code == 302
    assert "messages" not in answer.cookies
    page = staff.get(answer["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "Vui lòng mở kênh “invitation” (thư mời) của đợt khảo sát trước."
    ]


def given_with_contact(org, sipas, campaign, *, unit):
    from django.utils import timezone

    from conftest import sipas_answers
    from hailong.surveys.services.responses import Contact, Submission, responses_store

    submission = Submission(
        version=sipas,
        unit=unit,
        channel="web",
        answers=sipas_answers(score=2),
        campaign=campaign,
        service=org.service_a,
        submitted_at=timezone.now(),
        contact=Contact(name="Phạm Thị Mai", phone="0987654321", consent_given=True),
    )
    return responses_store([submission]).outcomes[0].response


def test_the_response_page_hands_contact_details_only_to_the_unit_where_it_was_given(
    client, org, sipas, campaign
):
    from conftest import make_staff
    from hailong.organisation.models import Role

    # Given at B's counter about A's procedure: A sees the answers, not who gave them.
    response = given_with_contact(org, sipas, campaign, unit=org.unit_b)
    client.force_login(make_staff("thuky_a", Role.SECRETARY, [org.unit_a]))
    page = client.get(f"/surveys/responses/{response.pk}/")
    assert page.status_code == 200
    assert page.context["contact"] is None
    assert ("Phạm Thị Mai" in page.content.decode(), "0987654321" in page.content.decode()) == (
        False,
        False,
    )
    client.force_login(make_staff("thuky_b", Role.SECRETARY, [org.unit_b]))
    page = client.get(f"/surveys/responses/{response.pk}/")
    assert page.context["contact"] == {"name": "Phạm Thị Mai", "phone": "0987654321", "email": ""}
    assert "Phạm Thị Mai 0987654321" in page.content.decode()
