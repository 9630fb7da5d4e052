"""An unsatisfied respondent who asked to be contacted leaves the QR form with the code of the
follow-up case opened for them, and how to follow it (code plus the last 4 phone digits)."""

import pytest

from conftest import sipas_answers
from hailong.feedback.models import Case

pytestmark = pytest.mark.usefixtures("campaign")


def form_data(**extra):
    data = {f"q_{code}": value for code, value in sipas_answers().items()}
    data.update({"service": "", "dossier_code": "", "contact_name": "", "contact_phone": ""})
    data.update(extra)
    return data


def url(org):
    return f"/danh-gia/{org.point_a.code}/"


def test_an_unsatisfied_respondent_with_consent_gets_the_case_code(client, org):
    response = client.post(
        url(org),
        form_data(
            q_HL="1", contact_name="Trần Văn Bình", contact_phone="0912.345.678", consent="yes"
        ),
        follow=True,
    )
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/danh-gia/{org.point_a.code}/cam-on/?ma={case.code}"
    page = response.content.decode()
    assert (
        "Chúng tôi sẽ liên hệ lại với Ông/Bà về điều chưa hài lòng. Mã tra cứu của Ông/Bà:" in page
    )
    assert f'<p class="pub-code" data-testid="tracking-code">{case.code}</p>' in page
    assert "Ông/Bà cũng sẽ được yêu cầu nhập 4 chữ số cuối của số điện thoại." in page
    assert f'href="/tra-cuu/?ma={case.code}"' in page


def test_a_satisfied_respondent_gets_no_code(client, org):
    response = client.post(
        url(org),
        form_data(contact_name="Trần Văn Bình", contact_phone="0912.345.678", consent="yes"),
        follow=True,
    )
    assert Case.objects.count() == 0
    assert response.redirect_chain[-1][0] == f"/danh-gia/{org.point_a.code}/cam-on/"
    page = response.content.decode()
    assert "Cảm ơn" in page and 'data-testid="tracking-code"' not in page


def test_another_browser_cannot_read_a_case_code_from_the_thanks_link(client, org):
    client.post(
        url(org),
        form_data(q_HL="1", contact_name="Bình", contact_phone="0912345678", consent="yes"),
    )
    code = Case.objects.get().code
    client.cookies.clear()
    page = client.get(f"/danh-gia/{org.point_a.code}/cam-on/?ma={code}").content.decode()
    assert 'data-testid="tracking-code"' not in page
