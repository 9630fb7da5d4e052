"""One scope per request: computed once, read by every selector; a unit sees the responses
given at its units and those about the procedures it is responsible for."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_staff, make_unit, sipas_answers
from hailong.organisation.models import Role, Service, ServicePoint
from hailong.surveys.services.responses import Submission, responses_store


def _give(org, sipas, campaign, *, unit, service=None, comment=""):
    return Submission(
        version=sipas,
        unit=unit,
        channel="web",
        answers=sipas_answers(),
        campaign=campaign,
        service=service,
        comment=comment,
        submitted_at=timezone.now(),
    )


@pytest.fixture
def desk_responses(org, sipas, campaign):
    """At the province's one-stop desk (ROOT): one about A's procedure, one about B's; at B: one
    about A's procedure and one about none."""
    result = responses_store(
        [
            _give(org, sipas, campaign, unit=org.root, service=org.service_a),
            _give(org, sipas, campaign, unit=org.root, service=org.service_b),
            _give(org, sipas, campaign, unit=org.unit_b, service=org.service_a),
            _give(org, sipas, campaign, unit=org.unit_b),
        ]
    )
    return [o.response for o in result.outcomes]


def _listed(client, query: str = "") -> list[int]:
    page = client.get(f"/surveys/responses/{query}")
    assert page.status_code == 200
    return sorted(r.pk for r in page.context["page"].object_list)


def test_an_officer_sees_responses_about_the_procedures_of_their_unit_wherever_given(
    client_for, officer_a, desk_responses
):
    about_a_at_desk, _about_b, about_a_at_b, _at_b = desk_responses
    client = client_for(officer_a)
    assert _listed(client) == sorted([about_a_at_desk.pk, about_a_at_b.pk])
    page = client.get("/surveys/responses/").content.decode()
    assert "và phiếu về các thủ tục do đơn vị phụ trách, dù nhận ở đâu" in page
    assert client.get(f"/surveys/responses/{about_a_at_b.pk}/").status_code == 200


def test_the_list_tells_given_here_from_about_our_procedures(client_for, officer_b, desk_responses):
    _about_a, about_b_at_desk, about_a_at_b, at_b = desk_responses
    client = client_for(officer_b)
    assert _listed(client) == sorted([about_b_at_desk.pk, about_a_at_b.pk, at_b.pk])
    assert _listed(client, "?basis=given") == sorted([about_a_at_b.pk, at_b.pk])
    assert _listed(client, "?basis=about") == [about_b_at_desk.pk]


def test_a_leader_of_the_whole_tree_sees_everything_without_the_choice(
    client_for, leader, desk_responses
):
    client = client_for(leader)
    assert len(_listed(client)) == 4
    assert "basis" in client.get("/surveys/responses/").context["form"].fields


def test_an_administrator_has_no_scope_choice(client_for, admin_user, desk_responses):
    page = client_for(admin_user).get("/surveys/responses/")
    assert "basis" not in page.context["form"].fields
    assert len(page.context["page"].object_list) == 4


def _grow(org, first: int, last: int) -> None:
    """Units number first..last-1 under A, each with a counter and a procedure of its own."""
    for i in range(first, last):
        unit = make_unit(f"X{i}", f"Xã thử {i}", "commune", parent=org.unit_a)
        ServicePoint.objects.create(unit=unit, code=f"x{i}", name=f"Quầy {i}", kind="counter")
        service = Service.objects.create(
            code=f"9.{i:06d}", name=f"Thủ tục {i}", field=org.service_a.field
        )
        service.units.set([unit])


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.OFFICER, Role.LEADER, Role.CLERK])
def test_home_and_response_list_cost_the_same_queries_at_n_and_2n_units(
    client, org, campaign, desk_responses, role
):
    person = make_staff(f"p_{role}", role, [org.unit_a, org.unit_b])
    client.force_login(person)
    _grow(org, 0, 5)  # N = 9 units in scope
    small = (_queries(client, "/"), _queries(client, "/surveys/responses/"))
    _grow(org, 5, 14)  # 2N = 18
    large = (_queries(client, "/"), _queries(client, "/surveys/responses/"))
    assert large == small


def test_the_person_s_units_are_read_once_per_request(client_for, secretary, desk_responses):
    client = client_for(secretary)
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    own_units = f'WHERE "organisation_staff_units"."staff_id" = {secretary.pk} ORDER BY'
    scope_reads = [q["sql"] for q in captured if own_units in q["sql"]]
    assert len(scope_reads) == 1, scope_reads


def test_sibling_communes_sharing_a_procedure_do_not_see_each_other_s_forms(
    client, org, sipas, campaign
):
    x1 = make_unit("X1", "Xã Một", "commune", parent=org.root)
    x2 = make_unit("X2", "Xã Hai", "commune", parent=org.root)
    shared = Service.objects.create(code="2.000001", name="Chứng thực", field=org.service_a.field)
    shared.units.set([x1, x2])
    at_x2, at_desk = (
        o.response
        for o in responses_store(
            [
                _give(org, sipas, campaign, unit=x2, service=shared),
                _give(org, sipas, campaign, unit=org.root, service=shared),
            ]
        ).outcomes
    )
    client.force_login(make_staff("canbo_x1", Role.OFFICER, [x1]))
    assert _listed(client) == [at_desk.pk]
    assert client.get(f"/surveys/responses/{at_x2.pk}/").status_code == 404


def test_only_the_unit_where_a_form_was_given_corrects_it_or_reads_its_contact(
    client, org, sipas, campaign, desk_responses
):
    about_a_at_b = desk_responses[2]
    client.force_login(make_staff("thuky_a", Role.SECRETARY, [org.unit_a]))
    assert client.get(f"/surveys/responses/{about_a_at_b.pk}/").context["contact"] is None
    assert client.get(f"/surveys/responses/{about_a_at_b.pk}/correct/").status_code == 404
