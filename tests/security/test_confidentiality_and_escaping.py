"""Two protections docs/security.md lists that no other test proved on every page they cover:
a denunciation (tố cáo) stays invisible to an administrator not granted it in search,
statistics, the receipt and the API (Law on Denunciation 2018, art. 47: the denouncer's
identity and the denunciation are confidential); and what citizens type is escaped on the
staff and public pages that show it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from conftest import make_staff, sipas_answers
from hailong.api.tokens import api_token_issue
from hailong.core.periods import PeriodKind, period_containing
from hailong.feedback.intake import CaseIntake
from hailong.feedback.services import case_receive, local_today
from hailong.feedback.statistics import case_statistics
from hailong.organisation.models import Role

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'


def _case(org, **extra):
    case, _created = case_receive(
        CaseIntake(
            channel="desk",
            unit=org.unit_a,
            title=extra.pop("title", "Cán bộ hẹn nhiều lần"),
            content=extra.pop("content", "Tôi đã đến ba lần."),
            **extra,
        )
    )
    return case


def test_an_ungranted_administrator_learns_nothing_of_a_denunciation(client_for, admin_user, org):
    from django.utils import timezone

    _case(org, kind="pakn")
    hidden = _case(
        org,
        kind="denunciation",
        title="Trưởng phòng A nhận tiền",
        contact_name="Người Tố Cáo",
        contact_phone="0911222333",
        consent_given=True,
    )
    inspector = make_staff("thanhtra", Role.OFFICER, [org.root], "Thanh Tra")
    inspector.user_permissions.add(Permission.objects.get(codename="handle_denunciation"))
    client = client_for(admin_user)
    # Searched for by its code, it is found as often as a code never given: the page only
    # repeats what was typed (the search box, the language form's return address).
    never = "ZZ99ZZ99"
    assert client.get(f"/cases/?view=all&q={hidden.code}").content.decode().count(
        hidden.code
    ) == client.get(f"/cases/?view=all&q={never}").content.decode().count(never)
    for url in (
        "/cases/?view=all&q=truong phong",
        "/cases/?view=all&q=0911222333",
        "/cases/statistics/?by=kind",
        "/",
    ):
        page = client.get(url).content.decode()
        assert (hidden.code in page, "Trưởng phòng A nhận tiền" in page) == (False, False), url
    # The same search finds it for the inspector granted denunciations.
    found = Client()
    found.force_login(inspector)
    assert hidden.code in found.get("/cases/?view=all&q=truong phong").content.decode()
    assert client.get(f"/cases/{hidden.code}/receipt.pdf").status_code == 404
    assert client.get(f"/api/v1/cases/{hidden.code}").status_code == 404
    _record, key = api_token_issue(
        system="Một cửa", scopes=["cases"], units=[org.root], actor=admin_user
    )
    assert (
        client.get(f"/api/v1/cases/{hidden.code}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code
        == 404
    )
    period = period_containing(timezone.now(), PeriodKind.YEAR)
    totals = {
        person.username: case_statistics(
            person, period=period, grouping="kind", today=local_today()
        )[1].received
        for person in (admin_user, inspector)
    }
    assert totals == {"quantri": 1, "thanhtra": 2}


def test_what_a_citizen_types_is_escaped_for_staff_and_citizens(
    client, client_for, clerk_a, secretary, org, campaign, sipas
):
    from hailong.surveys.services.responses import Submission, response_submit

    case = _case(org, kind="pakn", title=SCRIPT, content=SCRIPT)
    answers = {**sipas_answers(), "YK": SCRIPT}
    response = response_submit(
        Submission(
            version=sipas, unit=org.unit_a, channel="web", answers=answers, campaign=campaign
        )
    ).response
    session = client.session
    session["hailong_cases"] = [case.code]  # the browser proved it may open the case
    session.save()
    public = client.get(f"/tra-cuu/{case.code}/").content.decode()
    staff = client_for(clerk_a)
    pages = {
        "public status": public,
        "case": staff.get(f"/cases/{case.code}/").content.decode(),
        "case list": staff.get("/cases/?view=all").content.decode(),
        "response": client_for(secretary)
        .get(f"/surveys/responses/{response.pk}/")
        .content.decode(),
    }
    escaped = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"
    assert {name: (SCRIPT in page, escaped in page) for name, page in pages.items()} == {
        name: (False, True) for name in pages
    }
