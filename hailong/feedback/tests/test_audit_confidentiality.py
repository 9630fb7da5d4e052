"""The audit log keeps a denunciation (tố cáo) as secret as the case pages do: to an
administrator not granted denunciations its entries are absent from the admin's list, search,
filters and detail and from the home page, as if there were none (issue 10 §4)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from conftest import make_staff
from hailong.core.models import AuditEntry
from hailong.feedback.models import Case
from hailong.organisation.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(client_for, org, new_case, inspector, inspection_unit):
    """A granted desk receives a denunciation about unit A and assigns it to the inspector;
    an ordinary feedback case is received by the same desk."""
    desk = make_staff("tiepdan", Role.CLERK, [org.root], "Tiếp Dân Tỉnh")
    desk.user_permissions.add(Permission.objects.get(codename="handle_denunciation"))
    denunciation = new_case(
        kind="denunciation",
        actor=desk,
        contact_name="Người Tố Cáo",
        contact_phone="0911222333",
        consent_given=True,
        content="Cán bộ phòng A nhận tiền ngoài quy định.",
    )
    feedback = new_case(kind="pakn", actor=desk, title="Phòng chờ thiếu ghế")
    answer = client_for(desk).post(
        f"/cases/{denunciation.code}/accept/",
        {"version": denunciation.version, "unit": inspection_unit.pk, "officer": inspector.pk},
    )
    assert answer.status_code == 302
    secret = AuditEntry.objects.filter(target_id=str(denunciation.pk), action__startswith="case.")
    assert sorted(secret.values_list("action", flat=True)) == [
        "case.accept",
        "case.assign",
        "case.create",
    ]
    return denunciation, feedback, list(secret)


def listed(page) -> list[int]:
    return [entry.pk for entry in page.context["cl"].result_list]


def test_an_ungranted_administrator_finds_no_trace_of_a_denunciation(client_for, admin_user, story):
    denunciation, feedback, secret = story
    admin = client_for(admin_user)
    everything_else = sorted(
        AuditEntry.objects.exclude(pk__in=[e.pk for e in secret]).values_list("pk", flat=True)
    )

    page = admin.get("/admin/core/auditentry/")
    assert page.status_code == 200
    assert sorted(listed(page)) == everything_else
    assert page.context["cl"].full_result_count == len(everything_else)

    search = admin.get("/admin/core/auditentry/", {"q": denunciation.code})
    assert (listed(search), search.context["cl"].result_count) == ([], 0)
    for text in ("denunciation", "Tố cáo", "tố cáo", "Người Tố Cáo"):
        assert text not in search.content.decode()
    found = admin.get("/admin/core/auditentry/", {"q": feedback.code})
    assert len(listed(found)) == 1

    created = admin.get("/admin/core/auditentry/", {"action": "case.create"})
    assert [AuditEntry.objects.get(pk=pk).target_id for pk in listed(created)] == [str(feedback.pk)]
    for text in ("denunciation", "Người Tố Cáo"):
        assert text not in created.content.decode()

    # Its detail answers exactly as an id that never existed does.
    absent = admin.get("/admin/core/auditentry/99999999/change/")
    for entry in secret:
        detail = admin.get(f"/admin/core/auditentry/{entry.pk}/change/")
        assert (detail.status_code, detail["Location"]) == (absent.status_code, absent["Location"])

    home = admin.get("/")
    assert [e.pk for e in home.context["recent_audit"]] == [
        e.pk
        for e in AuditEntry.objects.exclude(pk__in=[e.pk for e in secret]).exclude(
            action__startswith="auth."
        )[:8]
    ]
    assert denunciation.code not in home.content.decode()


def test_a_row_saying_it_received_a_denunciation_stays_hidden_whatever_its_target_says(
    client_for, admin_user, story
):
    denunciation, _feedback, secret = story
    created = next(e for e in secret if e.action == "case.create")
    # Should the case no longer say what it was (changed, or gone from the register), the row
    # that recorded its receipt still does.
    Case.objects.filter(pk=denunciation.pk).update(kind="pakn")
    page = client_for(admin_user).get("/admin/core/auditentry/", {"action": "case.create"})
    assert created.pk not in listed(page)


def test_an_administrator_granted_denunciations_reads_their_entries(client_for, admin_user, story):
    denunciation, _feedback, secret = story
    admin_user.user_permissions.add(Permission.objects.get(codename="handle_denunciation"))
    admin = client_for(admin_user)
    search = admin.get("/admin/core/auditentry/", {"q": denunciation.code})
    assert sorted(listed(search)) == sorted(e.pk for e in secret)
    detail = admin.get(f"/admin/core/auditentry/{secret[0].pk}/change/")
    assert detail.status_code == 200
