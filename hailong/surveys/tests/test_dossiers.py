import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from hailong.surveys.dossiers import dossiers_import
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
    checked = dossiers_import(data=data, filename="hs.csv", actor=secretary, dry_run=True)
    assert [n for n, _reason in checked.errors] == [3, 4] and Dossier.objects.count() == 0
    result = dossiers_import(data=data, filename="hs.csv", actor=secretary)
    again = dossiers_import(data=data, filename="hs.csv", actor=secretary)
    assert (result.created, again.created, again.updated) == (1, 0, 1)
    assert Dossier.objects.get().time_score == 2  # returned before the due day


def test_the_dossier_page_imports_and_shows_rates(client_for, secretary, org):
    client = client_for(secretary)
    data = dossier_file([["HS-9", "UA", "", "2026-03-02", "2026-03-09", "2026-03-09", ""]])
    page = client.post(
        "/surveys/dossiers/", {"file": SimpleUploadedFile("hs.csv", data)}, follow=True
    )
    assert page.status_code == 200 and Dossier.objects.filter(code="HS-9").exists()
    rates = client.get("/surveys/dossiers/?period=2026-03").content.decode()
    assert "Phòng Tư pháp A" in rates
