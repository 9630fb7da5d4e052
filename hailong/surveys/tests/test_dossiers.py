import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from hailong.core.imports import table_check, table_store
from hailong.core.jobs import run_pending_jobs
from hailong.surveys.dossiers import DossiersTable
from hailong.surveys.models import Dossier


def dossier_file(rows):
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            [
                "ma_ho_so",
                "don_vi",
                "ma_tthc",
                "ngay_tiep_nhan",
                "ngay_hen_tra",
                "ngay_tra_ket_qua",
                "kenh",
            ],
            *rows,
        ]
    )
    return out.getvalue().encode("utf-8-sig")


def test_a_dossier_file_is_imported_with_reasons_for_bad_rows(org, secretary):
    data = dossier_file(
        [
            ["HS-1", "UA", "1.001193", "02/03/2026 08:00", "09/03/2026", "06/03/2026", "online"],
            ["HS-2", "KHONG", "", "02/03/2026", "", "", ""],
            ["HS-3", "UA1", "", "ngày mai", "", "", ""],
        ]
    )
    checked = table_check(DossiersTable(actor=secretary), data, filename="hs.csv")
    assert [n for n, _reason in checked.problems.first] == [3, 4]
    assert Dossier.objects.count() == 0
    result = table_store(DossiersTable(actor=secretary), data, filename="hs.csv")
    again = table_store(DossiersTable(actor=secretary), data, filename="hs.csv")
    assert (result["created"], again["created"], again["updated"]) == (1, 0, 1)
    assert Dossier.objects.get().time_score == 2  # returned before the due day


def test_the_dossier_page_imports_and_shows_rates(client_for, secretary, org):
    client = client_for(secretary)
    data = dossier_file([["HS-9", "UA", "", "2026-03-02", "2026-03-09", "2026-03-09", ""]])
    response = client.post("/surveys/dossiers/", {"file": SimpleUploadedFile("hs.csv", data)})
    assert not Dossier.objects.exists()  # the request only stored the file
    run_pending_jobs()
    client.post(response["Location"] + "confirm/")
    run_pending_jobs()
    done = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-done"' in done and Dossier.objects.filter(code="HS-9").exists()
    rates = client.get("/surveys/dossiers/?period=2026-03").content.decode()
    assert "Phòng Tư pháp A" in rates


def test_the_register_keeps_the_period_as_typed(client_for, secretary, org):
    client = client_for(secretary)
    for typed in ("Quý 1/2026", "03/2026", "01/03/2026 - 15/03/2026"):
        page = client.get("/surveys/dossiers/", {"period": typed}).content.decode()
        assert f'name="period" value="{typed}"' in page, typed
