"""The QR form of a counter serving the quick questionnaire (nhanh): three faces, and the
reasons of the lowest one."""

from hailong.surveys.models import Response


def url(org):
    return f"/danh-gia/{org.point_a.code}/"


def reasons_stored():
    return sorted(
        Response.objects.get()
        .answers.filter(item__code="LD")
        .values_list("option__code", flat=True)
    )


def test_the_reasons_question_says_it_belongs_to_the_lowest_face(client, org, quick_campaign):
    page = client.get(url(org)).content.decode()
    assert 'id="item-LD" data-reasons-for="DG" data-reasons-when="1">' in page


def test_reasons_sent_with_a_higher_face_are_not_stored(client, org, quick_campaign):
    response = client.post(url(org), {"q_DG": "2", "q_LD": ["CHO", "THAIDO"], "q_YK": ""})
    assert response.status_code == 302
    assert reasons_stored() == []


def test_reasons_sent_with_the_lowest_face_are_stored(client, org, quick_campaign):
    response = client.post(url(org), {"q_DG": "1", "q_LD": ["CHO", "THAIDO"], "q_YK": ""})
    assert response.status_code == 302
    assert reasons_stored() == ["CHO", "THAIDO"]
