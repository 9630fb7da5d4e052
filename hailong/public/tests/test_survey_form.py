import pytest
from django.test import override_settings

from conftest import sipas_answers
from hailong.surveys.models import Response

pytestmark = pytest.mark.usefixtures("campaign")


def form_data(**extra):
    data = {f"q_{code}": value for code, value in sipas_answers().items()}
    data.update(
        {"service": "1.001193", "dossier_code": "", "contact_name": "", "contact_phone": ""}
    )
    data.update(extra)
    return data


def url(org):
    return f"/danh-gia/{org.point_a.code}/"


def test_the_qr_link_opens_the_form_in_vietnamese(client, org):
    page = client.get(url(org) + "?dv=1.001193").content.decode()
    assert '<html lang="vi">' in page
    assert "PHIẾU KHẢO SÁT" in page
    assert 'value="1.001193" selected' in page
    assert "Không áp dụng" in page


def test_a_citizen_sends_the_form_and_sees_thanks(client, org):
    response = client.post(url(org), form_data(), follow=True)
    assert response.redirect_chain[-1][0] == f"/danh-gia/{org.point_a.code}/cam-on/"
    assert "Cảm ơn" in response.content.decode()
    stored = Response.objects.get()
    assert (stored.channel, stored.unit, stored.service_point) == ("web", org.unit_a, org.point_a)
    assert stored.service.code == "1.001193"


def test_a_missing_answer_keeps_everything_typed(client, org):
    data = form_data(q_HL="", dossier_code="HS-001", q_YK="Chờ hơi lâu")
    response = client.post(url(org), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vui lòng trả lời câu hỏi này" in page
    assert 'value="HS-001"' in page
    assert "Chờ hơi lâu" in page
    assert 'name="q_TC1" value="4" checked' in page
    assert Response.objects.count() == 0


def test_contact_details_without_consent_are_refused_and_kept(client, org):
    response = client.post(
        url(org), form_data(contact_name="Trần Văn Bình", contact_phone="0987654321")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "đồng ý" in page and 'value="Trần Văn Bình"' in page
    assert Response.objects.count() == 0
    ok = client.post(
        url(org), form_data(contact_name="Trần Văn Bình", consent="yes", contact_phone="0987654321")
    )
    assert ok.status_code == 302
    assert Response.objects.get().consent.name == "Trần Văn Bình"


def test_a_dossier_is_evaluated_once_per_campaign(client, org):
    assert client.post(url(org), form_data(dossier_code="HS-2026-01")).status_code == 302
    again = client.post(url(org), form_data(dossier_code="hs-2026-01"))
    assert again.status_code == 409
    assert "đã được đánh giá" in again.content.decode()
    assert Response.objects.count() == 1


def test_the_honeypot_stores_nothing(client, org):
    response = client.post(url(org), form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert Response.objects.count() == 0


@override_settings(HAILONG_WEB_FORM_RATE=(2, 600))
def test_the_rate_limit_refuses_politely_and_keeps_answers(client, org):
    for _ in range(2):
        assert client.post(url(org), form_data()).status_code == 302
    refused = client.post(url(org), form_data(q_YK="Ý kiến thứ ba"))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "vài phút" in page and "Ý kiến thứ ba" in page
    assert Response.objects.count() == 2


@override_settings(HAILONG_WEB_FORM_RATE=(2, 600))
def test_refused_and_re_sent_forms_do_not_use_up_the_limit_of_a_shared_address(client, org):
    # A hall on one guest Wi-Fi: a few people's mistakes must not lock the others out.
    for _ in range(5):
        assert client.post(url(org), form_data(q_HL="")).status_code == 400
    same = form_data(form_token="0123456789abcdef0123456789abcdef")
    assert client.post(url(org), same).status_code == 302
    assert client.post(url(org), same).status_code == 302  # Back, then Send again: a replay
    assert client.post(url(org), form_data()).status_code == 302
    assert client.post(url(org), form_data()).status_code == 429  # the third stored form
    assert Response.objects.count() == 2


@override_settings(HAILONG_PUBLIC_MAX_BYTES=2000)
def test_an_oversized_request_is_refused(client, org):
    refused = client.post(url(org), form_data(q_YK="x" * 3000))
    assert refused.status_code == 413
    assert Response.objects.count() == 0


def test_a_closed_campaign_shows_a_friendly_page(client, org, campaign):
    campaign.status = "closed"
    campaign.save()
    page = client.get(url(org))
    assert page.status_code == 200
    assert 'data-testid="no-campaign"' in page.content.decode()


def test_an_unknown_point_is_404(client, db):
    assert client.get("/danh-gia/khong-co/").status_code == 404


def test_sending_the_same_page_twice_stores_it_once(client, org):
    data = form_data(form_token="0123456789abcdef0123456789abcdef")
    assert client.post(url(org), data).status_code == 302
    again = client.post(url(org), data, follow=True)  # Back, then Send again
    assert 'data-testid="thanks"' in again.content.decode()
    assert Response.objects.count() == 1


def test_every_problem_is_listed_at_once_with_links(client, org):
    response = client.post(url(org), form_data(q_HL="", contact_phone="0912345678"))
    page = response.content.decode()
    assert 'href="#item-HL"' in page and 'href="#consent"' in page
    assert Response.objects.count() == 0


def test_a_phone_that_is_not_a_number_is_refused_with_a_clear_message(client, org):
    from hailong.feedback.models import Case

    data = form_data(
        q_HL="1", contact_name="Trần Văn Bình", contact_phone="abc 0912", consent="yes"
    )
    response = client.post(url(org), data)
    assert response.status_code == 400
    page = response.content.decode()
    message = "Nhập số điện thoại Việt Nam, ví dụ 0912 345 678 hoặc +84 912 345 678."
    assert page.count(message) == 2  # in the list at the top and under the field
    assert 'href="#id_contact_phone"' in page
    assert 'value="abc 0912"' in page and 'aria-invalid="true"' in page
    assert Response.objects.count() == 0
    assert Case.objects.count() == 0


def test_a_phone_typed_with_dots_is_accepted(client, org):
    response = client.post(
        url(org), form_data(contact_name="Bình", contact_phone="0912.345.678", consent="yes")
    )
    assert response.status_code == 302
    assert Response.objects.count() == 1


def test_a_comment_over_the_limit_is_refused_with_its_length_and_kept(client, org):
    from hailong.surveys.schema import TEXT_ANSWER_MAX

    comment = "Nghe\u0323\u0302 " * (TEXT_ANSWER_MAX // 5) + "x"  # decomposed, as a Mac types
    response = client.post(url(org), form_data(q_YK=comment))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Xin viết tối đa 4.000 ký tự (hiện có 4.001)." in page
    assert ("Nghệ " * (TEXT_ANSWER_MAX // 5) + "x") in page  # kept whole
    assert Response.objects.count() == 0


def test_the_form_says_which_campaign_it_serves(client, org, campaign):
    page = client.get(url(org)).content.decode()
    assert (
        f'<p class="pub-intro" data-testid="campaign-served">Đợt khảo sát: {campaign.name}</p>'
        in page
    )


@override_settings(HAILONG_WEB_FORM_RATE=(1, 600))
def test_two_forms_sent_at_the_same_moment_cannot_both_take_the_last_place(
    client, org, monkeypatch
):
    # The second form arrives while the first is being stored: after the first was let in and
    # before it was counted. Only one may be stored when one place is left.
    from hailong.public import views

    real_submit = views.response_submit
    seconds = []

    def submit_while_another_arrives(submission):
        if not seconds:
            seconds.append(None)  # the second form's own store goes straight through
            seconds[0] = client.post(url(org), form_data()).status_code
        return real_submit(submission)

    monkeypatch.setattr(views, "response_submit", submit_while_another_arrives)
    first = client.post(url(org), form_data())
    assert (first.status_code, seconds) == (302, [429])
    assert Response.objects.count() == 1


def test_a_place_taken_is_given_back_when_nothing_is_stored(db):
    from hailong.core.ratelimit import rate_limit_give_back, rate_limit_take

    first = rate_limit_take("web:test", limit=1, window_seconds=600)
    assert first is not None
    assert rate_limit_take("web:test", limit=1, window_seconds=600) is None
    rate_limit_give_back(first)
    assert rate_limit_take("web:test", limit=1, window_seconds=600) is not None


def test_the_comment_limit_is_written_with_grouped_thousands(client, org):
    page = client.get(url(org)).content.decode()
    hint = '<p class="pub-help pub-count" id="hint-YK" aria-live="polite">Tối đa 4.000 ký tự.</p>'
    assert hint in page
    assert 'data-max-chars="4000" data-thousands="."' in page


def test_the_tab_title_is_the_form_title_in_sentence_case(client, org):
    page = client.get(url(org)).content.decode()
    assert (
        "<title>Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan"
        " hành chính nhà nước · Hài Lòng</title>"
    ) in page
    assert '<h1 class="pub-title">PHIẾU KHẢO SÁT SỰ HÀI LÒNG' in page  # the heading as on paper


def test_without_script_every_part_of_the_form_is_on_the_one_page(client, org):
    # survey_form.js shows one part per screen; the page itself hides none of them.
    page = client.get(url(org)).content.decode()
    assert 'data-steps="7" data-progress="Phần {n}/{total}" data-next="Tiếp"' in page
    assert [page.count(f'data-step="{n}"') for n in range(1, 8)] == [2, 1, 1, 1, 1, 1, 2]
    assert " hidden" not in page.split('data-testid="survey-form"')[1]


def test_the_consent_keeps_the_phone_in_its_national_form(client, org):
    ok = client.post(
        url(org),
        form_data(contact_name="Trần Văn Bình", consent="yes", contact_phone="+84 987.654.321"),
    )
    assert ok.status_code == 302
    assert Response.objects.get().consent.phone == "0987654321"
