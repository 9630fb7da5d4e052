"""Regular customers are personal data (names, emails, phones): a secretary of one unit lists
and imports the customers of that unit only (issue 10 §7)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_staff
from hailong.core.jobs import run_pending_jobs
from hailong.core.models import FileImport
from hailong.organisation.models import Role
from hailong.surveys.models import RegularCustomer


def customers(org):
    return {
        "a": RegularCustomer.objects.create(
            name="Nguyễn Văn Hải", email="hai@vinhphat.vn", phone="0912000001", unit=org.unit_a1
        ),
        "b": RegularCustomer.objects.create(
            name="Trần Thị Lan", email="lan@datdai.vn", phone="0912000002", unit=org.unit_b
        ),
        "none": RegularCustomer.objects.create(
            name="Lê Văn Chung", email="chung@example.vn", phone="0912000003"
        ),
    }


def test_a_unit_secretary_lists_only_the_customers_of_their_units(client_for, org):
    people = customers(org)
    secretary_a = make_staff("thuky_a", Role.SECRETARY, [org.unit_a])
    page = client_for(secretary_a).get("/surveys/customers/")
    html = page.content.decode()
    assert page.status_code == 200
    assert [c.pk for c in page.context["customers"]] == [people["a"].pk]
    assert ("hai@vinhphat.vn" in html, "0912000001" in html) == (True, True)
    for leaked in ("Trần Thị Lan", "lan@datdai.vn", "0912000002", "Lê Văn Chung", "chung@"):
        assert leaked not in html


def test_a_secretary_of_the_whole_organisation_lists_every_customer(client_for, secretary, org):
    people = customers(org)
    page = client_for(secretary).get("/surveys/customers/")
    listed = sorted(c.pk for c in page.context["customers"])
    assert listed == sorted(p.pk for p in people.values())


def import_file(client, text: str) -> tuple[FileImport, str]:
    """The upload once imported, and its page as it was after the check (the rows refused)."""
    started = client.post(
        "/surveys/customers/", {"file": SimpleUploadedFile("kh.csv", text.encode())}
    )
    run_pending_jobs()
    checked = client.get(started["Location"])
    assert checked.status_code == 200
    client.post(started["Location"] + "confirm/")
    run_pending_jobs()
    upload = FileImport.objects.get(pk=started["Location"].rstrip("/").rsplit("/", 1)[-1])
    return upload, checked.content.decode()


NO_UNIT = (
    "Cần có mã đơn vị (ma_don_vi): bạn chỉ được thêm khách hàng của các đơn vị thuộc phạm vi "
    "của mình."
)


def test_the_import_refuses_a_unit_outside_the_importers_scope_row_by_row(client_for, org):
    people = customers(org)
    secretary_a = make_staff("thuky_a", Role.SECRETARY, [org.unit_a])
    staff = client_for(secretary_a)
    upload, html = import_file(
        staff,
        "ten,email,so_dien_thoai,ma_don_vi\n"
        "Khách của B,khach@b.vn,,UB\n"  # another unit's
        "Khách không đơn vị,khach@none.vn,,\n"  # no unit: the whole organisation's
        "Khách đơn vị lạ,khach@x.vn,,XYZ\n"
        "Khách của A,khach@a.vn,,UA1\n"
        "Trùng thư B,lan@datdai.vn,0999999999,UA\n",  # B's customer's email
    )
    assert upload.errors == [
        [2, "Đơn vị “UB” không có trong hệ thống hoặc ngoài phạm vi được giao."],
        [3, NO_UNIT],
        [4, "Đơn vị “XYZ” không có trong hệ thống hoặc ngoài phạm vi được giao."],
    ]
    for _row, message in upload.errors:
        assert message in html
    # B's customer is left as it was; the row with her email is a customer of A's own.
    people["b"].refresh_from_db()
    assert (people["b"].unit, people["b"].phone, people["b"].name) == (
        org.unit_b,
        "0912000002",
        "Trần Thị Lan",
    )
    added = RegularCustomer.objects.exclude(pk__in=[p.pk for p in people.values()])
    assert sorted(added.values_list("email", "unit__code")) == [
        ("khach@a.vn", "UA1"),
        ("lan@datdai.vn", "UA"),
    ]


def test_a_campaign_invites_the_customers_of_the_units_it_covers_only(
    client_for, secretary, org, campaign
):
    from django.core import mail

    people = customers(org)
    campaign.units.set([org.unit_a])
    campaign.channels = [*campaign.channels, "invitation"]
    campaign.save()
    answer = client_for(secretary).post(f"/surveys/campaigns/{campaign.pk}/invite/")
    assert answer.status_code == 302
    assert [m.to for m in mail.outbox] == [[people["a"].email]]
    assert list(campaign.invitations.values_list("customer", flat=True)) == [people["a"].pk]
