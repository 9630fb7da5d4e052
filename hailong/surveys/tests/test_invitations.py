import re
from datetime import timedelta
from io import StringIO

import time_machine
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from conftest import sipas_answers
from hailong.core.jobs import run_pending_jobs
from hailong.surveys.invitations import invitation_rate
from hailong.surveys.models import Invitation, RegularCustomer, Response

CUSTOMERS = (
    "ten,to_chuc,email,so_dien_thoai,ma_don_vi\n"
    "Nguyễn Văn Hải,Công ty TNHH Xây dựng Vĩnh Phát,hai@vinhphat.vn,,UA\n"
    "Trần Thị Lan,,,0912345678,UA1\n"
    "Thiếu liên hệ,,,,\n"
    "Sai thư,,mai@@mailinh,,\n"
    "Sai số,,,abc,\n"
).encode()


def open_invitations(campaign):
    campaign.channels = [*campaign.channels, "invitation"]
    campaign.save()


def link_in(message) -> str:
    return re.search(r"http://testserver(/moi/[^\s]+/)", message.body).group(1)


def test_customers_are_imported_invited_and_answer_once(
    client_for, client, secretary, org, campaign
):
    staff = client_for(secretary)
    detail = staff.post("/surveys/customers/", {"file": SimpleUploadedFile("kh.csv", CUSTOMERS)})
    assert RegularCustomer.objects.count() == 0  # the request only stored the file
    run_pending_jobs()
    staff.post(detail["Location"] + "confirm/")
    run_pending_jobs()
    assert RegularCustomer.objects.count() == 2  # the row without email or phone is refused
    open_invitations(campaign)
    staff.post(f"/surveys/campaigns/{campaign.pk}/invite/")
    assert len(mail.outbox) == 1  # by email; the other by the SMS gateway (logged)
    assert Invitation.objects.filter(sent_by="sms").count() == 1
    staff.post("/accounts/logout/")

    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "PHIẾU KHẢO SÁT" in page.content.decode()
    data = {f"q_{code}": value for code, value in sipas_answers().items()}
    assert client.post(link, data).status_code == 200
    again = client.post(link, data)  # the link is used a second time
    assert "đã trả lời" in again.content.decode()
    assert Response.objects.filter(channel="invitation").count() == 1
    invitation = Invitation.objects.get(customer__email="hai@vinhphat.vn")
    assert invitation.answered_at is not None and invitation.response is not None
    assert invitation.response.unit == org.unit_a
    rate = invitation_rate(campaign)
    assert (rate.invited, rate.answered, rate.rate) == (2, 1, 50.0)


def test_one_reminder_after_a_week(secretary, org, campaign):
    RegularCustomer.objects.create(name="Lê Văn Tư", email="tu@example.vn", unit=org.unit_a)
    open_invitations(campaign)
    send = ["send_invitations", "--base-url", "https://hailong.example.gov.vn"]
    call_command(*send, stdout=StringIO())
    call_command(*send, stdout=StringIO())  # run again at once: nothing to remind yet
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(days=8)):  # the daily run a week on
        for _ in range(2):
            call_command(*send, stdout=StringIO())
    assert len(mail.outbox) == 2  # the invitation and one reminder, not two
    assert mail.outbox[1].subject == f"Nhắc lại: {campaign.name}"
    assert link_in_any(mail.outbox[0]) == link_in_any(mail.outbox[1])  # the very same link


def link_in_any(message) -> str:
    return re.search(r"https?://\S+/moi/\S+/", message.body).group(0)


def test_a_link_sent_before_links_lost_their_timestamp_still_opens(client, org, campaign):
    open_invitations(campaign)
    customer = RegularCustomer.objects.create(
        name="Lê Văn Tư", email="tu@example.vn", unit=org.unit_a
    )
    invitation = Invitation.objects.create(campaign=campaign, customer=customer)
    old = signing.dumps(invitation.pk, salt="hailong.invitation", compress=True)
    page = client.get(f"/moi/{old}/")
    assert page.status_code == 200 and "PHIẾU KHẢO SÁT" in page.content.decode()


def test_a_forged_link_is_404(client, db):
    page = client.get("/moi/khong-hop-le/")
    assert page.status_code == 404 and "không hợp lệ" in page.content.decode()


def test_invitations_need_the_channel_open(client_for, secretary, campaign):
    page = client_for(secretary).post(f"/surveys/campaigns/{campaign.pk}/invite/", follow=True)
    assert "invitation" in page.content.decode()
    assert Invitation.objects.count() == 0


def test_a_customer_phone_must_be_a_vietnamese_number(client_for, secretary, org):
    rows = (
        "ten,to_chuc,email,so_dien_thoai,ma_don_vi\n"
        "Số có chấm,,,0912.345.679,UA\n"
        "Số thiếu đầu,,,123456789,UA\n"
    ).encode()
    staff = client_for(secretary)
    detail = staff.post("/surveys/customers/", {"file": SimpleUploadedFile("kh.csv", rows)})
    run_pending_jobs()
    staff.post(detail["Location"] + "confirm/")
    run_pending_jobs()
    assert list(RegularCustomer.objects.values_list("name", "phone")) == [
        ("Số có chấm", "0912345679")
    ]
