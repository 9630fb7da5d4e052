"""Issue 10 §1, §3 and §12 through the file uploads: a unit-scoped secretary cannot take over
another unit's dossier, results cannot go into a campaign that does not cover their unit, and
implausible dates are refused row by row. Through HTTP, the worker running the jobs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_staff
from hailong.core.jobs import run_pending_jobs
from hailong.core.models import FileImport
from hailong.organisation.models import Role
from hailong.surveys.models import Campaign, Dossier, Response, ResponseImport
from hailong.surveys.tests.test_dossiers import dossier_file
from hailong.surveys.tests.test_file_import import csv_bytes, row

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.time_machine(datetime(2026, 4, 15, 9, tzinfo=HANOI))
FOREIGN = "000.00.12.H19-260302-0007"


@pytest.fixture
def secretary_a(org):
    return make_staff("thuky_a", Role.SECRETARY, [org.unit_a], "Thư Ký Phòng A")


def upload_dossiers(client, data):
    started = client.post("/surveys/dossiers/", {"file": SimpleUploadedFile("hs.csv", data)})
    run_pending_jobs()
    return started["Location"]


def test_a_unit_secretary_cannot_take_over_another_units_dossier(client_for, secretary_a, org):
    Dossier.objects.create(
        code=FOREIGN, unit=org.unit_b, received_at=datetime(2026, 3, 2, 8, tzinfo=HANOI)
    )
    client = client_for(secretary_a)
    page = upload_dossiers(
        client,
        dossier_file(
            [
                [FOREIGN, "UA", "", "01/03/2026", "20/03/2026", "03/03/2026", ""],
                ["HS-A-1", "UA", "", "02/03/2026", "", "", ""],
            ]
        ),
    )
    upload = FileImport.objects.get()
    assert (upload.good_rows, upload.errors) == (2, [])
    client.post(page + "confirm/")
    run_pending_jobs()
    foreign = Dossier.objects.get(code=FOREIGN, unit=org.unit_b)
    assert (foreign.received_at, foreign.due_at, foreign.returned_at) == (
        datetime(2026, 3, 2, 8, tzinfo=HANOI),
        None,
        None,
    )
    assert set(Dossier.objects.values_list("code", "unit__code")) == {
        (FOREIGN, "UB"),
        (FOREIGN, "UA"),
        ("HS-A-1", "UA"),
    }


def test_a_dossier_file_with_implausible_dates_is_refused_row_by_row(client_for, secretary):
    client = client_for(secretary)
    upload_dossiers(
        client,
        dossier_file(
            [
                ["HS-1", "UA", "", "0001-01-01", "", "", ""],
                ["HS-2", "UA", "", "2026-03-02", "9999-12-31", "9999-12-31T23:59:59-07:00", ""],
                ["HS-3", "UA", "", "2026-03-02", "2026-03-01", "2026-02-28", ""],
                ["HS-4", "UA", "", "2026-04-15T09:10:00+07:00", "", "", ""],
                ["HS-5", "UA", "", "2021-04-20", "2026-04-18", "2026-04-15T09:04:00+07:00", ""],
            ]
        ),
    )
    upload = FileImport.objects.get()
    assert (upload.good_rows, upload.errors) == (
        1,
        [
            [2, "Ngày 01/01/0001 đã quá xa: ngày sớm nhất được chấp nhận là 16/04/2021."],
            [
                3,
                "Ngày hẹn trả muộn hơn ngày tiếp nhận quá năm năm. Ngày 31/12/9999 nằm trong "
                "tương lai.",
            ],
            [
                4,
                "Ngày hẹn trả sớm hơn ngày tiếp nhận hồ sơ. Ngày trả kết quả sớm hơn ngày tiếp "
                "nhận hồ sơ.",
            ],
            [5, "Ngày 15/04/2026 nằm trong tương lai."],
        ],
    )
    reasons = dict(upload.error_reasons)
    assert reasons == {
        "thiếu ngày tiếp nhận, không đọc được hoặc không hợp lý": 2,
        "ngày hẹn trả không đọc được hoặc không hợp lý": 2,
        "ngày trả kết quả không đọc được hoặc không hợp lý": 2,
    }


@pytest.fixture
def only_b(org, sipas):
    today = datetime(2026, 4, 15).date()
    campaign = Campaign.objects.create(
        name="Khảo sát riêng B",
        version=sipas,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
        channels=["import"],
        status="open",
    )
    campaign.units.set([org.unit_b])
    return campaign


def test_results_cannot_be_imported_into_a_campaign_not_covering_their_unit(
    client_for, secretary, sipas, only_b
):
    client = client_for(secretary)
    started = client.post(
        "/surveys/imports/",
        {
            "version": sipas.pk,
            "campaign": only_b.pk,
            "file": SimpleUploadedFile("phieu.csv", csv_bytes([row(unit="UA"), row(unit="UB")])),
        },
    )
    run_pending_jobs()
    upload = ResponseImport.objects.get()
    assert (upload.good_rows, upload.errors) == (
        1,
        [[2, "Đợt khảo sát này không khảo sát đơn vị Phòng Tư pháp A."]],  # the write path says
    )
    client.post(started["Location"] + "confirm/")
    run_pending_jobs()
    assert list(Response.objects.values_list("unit__code", "campaign")) == [("UB", only_b.pk)]


def test_results_with_implausible_dates_are_refused_row_by_row(client_for, secretary, sipas):
    client = client_for(secretary)
    client.post(
        "/surveys/imports/",
        {
            "version": sipas.pk,
            "file": SimpleUploadedFile(
                "phieu.csv",
                csv_bytes(
                    [
                        row(when="0001-01-01T00:00:00+07:00"),
                        row(when="9999-12-31T23:59:59-07:00"),
                        row(when="2023-04-10"),
                        row(when="2023-04-20"),
                    ]
                ),
            ),
        },
    )
    run_pending_jobs()
    upload = ResponseImport.objects.get()
    assert (upload.good_rows, upload.errors) == (
        1,
        [
            [2, "Ngày 01/01/0001 đã quá xa: ngày sớm nhất được chấp nhận là 16/04/2023."],
            [3, "Ngày 31/12/9999 nằm trong tương lai."],
            [4, "Ngày 10/04/2023 đã quá xa: ngày sớm nhất được chấp nhận là 16/04/2023."],
        ],
    )
