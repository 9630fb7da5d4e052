"""The path every table upload takes: the stored file read in slices, a cancel undoing a
whole-transaction import, a dead worker shown as such."""

from unittest.mock import patch

from django.core.files.uploadedfile import SimpleUploadedFile

from hailong.core.imports import StoredFile, file_import_start, upload_content
from hailong.core.jobs import job_cancel, run_pending_jobs
from hailong.core.models import FileImport, Job
from hailong.surveys.dossiers import DossiersTable
from hailong.surveys.models import Dossier
from hailong.surveys.tests.test_dossiers import dossier_file


def test_the_stored_file_is_read_in_slices_even_while_its_row_changes(secretary):
    data = bytes(range(256)) * 20_000  # 5 MB
    upload = file_import_start(kind="dossiers", data=data, filename="a.csv", actor=secretary)
    stream = upload_content(upload)()
    first = stream.read(1_000_000)
    FileImport.objects.filter(pk=upload.pk).update(status="cancelling")  # a cancel meanwhile
    rest = stream.read()
    assert first + rest == data
    stored = StoredFile(upload)
    stored.seek(-10, 2)
    assert stored.read(10) == data[-10:] and stored.tell() == len(data)


def test_a_cancel_during_a_dossier_import_leaves_nothing(client_for, secretary, org):
    rows = [[f"HS-{n}", "UA", "", "02/03/2026", "", "", ""] for n in range(5)]  # five chunks of one
    client = client_for(secretary)
    response = client.post(
        "/surveys/dossiers/", {"file": SimpleUploadedFile("hs.csv", dossier_file(rows))}
    )
    run_pending_jobs()
    client.post(response["Location"] + "confirm/")
    upload = FileImport.objects.get()
    store = DossiersTable.store

    def store_then_cancel(importer, items):
        store(importer, items)
        if Dossier.objects.count() == 2:  # inside the import's transaction
            job_cancel(upload.job)

    with (
        patch.object(DossiersTable, "chunk", 1),
        patch.object(DossiersTable, "store", store_then_cancel),
        patch("hailong.core.imports._Ticker.every", 0),
    ):
        assert run_pending_jobs() == 1
    upload.refresh_from_db()
    assert (upload.status, upload.job.status) == ("cancelled", "cancelled")
    assert Dossier.objects.count() == 0
    assert "Đã hủy" in client.get(response["Location"]).content.decode()


def test_an_upload_whose_worker_died_shows_as_failed(client_for, secretary, org):
    client = client_for(secretary)
    response = client.post(
        "/surveys/customers/", {"file": SimpleUploadedFile("kh.csv", b"ten,email\nA,a@b.vn\n")}
    )
    upload = FileImport.objects.get()
    Job.objects.filter(pk=upload.job_id).update(status="failed")  # the stale-job sweep did it
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-error"' in page and "every 2s" not in page
