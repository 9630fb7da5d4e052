"""The closed loop: an unsatisfied survey response with consent to be contacted opens a case."""

from __future__ import annotations

import pytest

from conftest import sipas_answers
from hailong.feedback.models import Case
from hailong.surveys.models import Response
from hailong.surveys.services.responses import (
    Contact,
    Submission,
    SubmissionRejected,
    response_submit,
)

pytestmark = pytest.mark.django_db


def submit(sipas, campaign, org, score, contact=None, dossier=""):
    return response_submit(
        Submission(
            version=sipas,
            campaign=campaign,
            unit=org.unit_a1,
            service=org.service_a,
            channel="web",
            answers=sipas_answers(score),
            comment="Chờ quá lâu",
            dossier_code=dossier,
            contact=contact or Contact(),
        )
    ).response


def test_an_unsatisfied_respondent_who_may_be_contacted_gets_a_case(sipas, campaign, org, rules):
    response = submit(
        sipas,
        campaign,
        org,
        2,
        Contact(name="Lê Văn C", phone="0903 111 222", consent_given=True),
        dossier="HS-9",
    )
    case = Case.objects.get(source_response=response)
    assert case.kind == "pakn" and case.channel == "survey" and case.status == "received"
    assert case.unit == org.unit_a1 and case.service == org.service_a
    assert case.dossier_code == "HS-9"
    assert case.contact_phone == "0903111222" and case.lookup_pin == "1222"
    assert case.consent_text == sipas.consent_vi
    assert "Chờ quá lâu" in case.content and "Không hài lòng" in case.content
    assert case.answer_due_on is not None


def test_no_case_for_satisfied_anonymous_or_unreachable_respondents(sipas, campaign, org, rules):
    submit(sipas, campaign, org, 4, Contact(name="A", phone="0903111222", consent_given=True))
    submit(sipas, campaign, org, 1)  # anonymous
    submit(sipas, campaign, org, 1, Contact(name="Chỉ tên", consent_given=True))
    assert not Case.objects.exists()


def test_the_loop_works_from_the_public_form(client, sipas, campaign, org, rules):
    from hailong.surveys.schema import schema_for

    data = {"service": org.service_a.code, "form_token": "a" * 32}
    for item in schema_for(sipas).items:
        if item.kind == "scale5":
            data[f"q_{item.code}"] = "1"
    data.update(
        {"q_HL": "1", "contact_name": "Phạm D", "contact_phone": "0912000111", "consent": "yes"}
    )
    response = client.post(f"/danh-gia/{org.point_a.code}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.filter(channel="survey", lookup_pin="0111").count() == 1


def test_a_not_satisfied_kiosk_style_rating_opens_a_case(nhanh, org, rules):
    from hailong.surveys.schema import schema_for

    rating = next(item for item in schema_for(nhanh).items if item.kind == "rating3")
    response = response_submit(
        Submission(
            version=nhanh,
            unit=org.unit_b,
            channel="web",
            answers={rating.code: "1"},
            contact=Contact(phone="0909 000 111", consent_given=True),
        )
    ).response
    case = Case.objects.get(source_response=response)
    assert case.unit == org.unit_b and "Chưa hài lòng" in case.content


def test_a_phone_nobody_can_call_is_refused_with_the_response(sipas, campaign, org, rules):
    # Stored, it would leave the unsatisfied person without the follow-up case, silently.
    with pytest.raises(SubmissionRejected) as refused:
        submit(sipas, campaign, org, 1, Contact(phone="12-34", consent_given=True))
    assert refused.value.code == "answers"
    assert set(refused.value.errors) == {"contact_phone"}
    assert not Response.objects.exists()
    assert not Case.objects.exists()
