"""Upload limits docs/security.md lists: case attachments (count and size, on the public form
and the desk's) and table imports (size), each refused with a message before anything is
stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hailong.core.models import FileImport
from hailong.feedback.models import Case

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 test"


def _pdf(name="don.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_too_many_or_too_large_attachments_are_refused_and_nothing_stored(
    client, client_for, clerk_a, org, settings
):
    settings.HAILONG_CASE_ATTACHMENT_MAX_COUNT = 2
    settings.HAILONG_CASE_ATTACHMENT_MAX_BYTES = 1024 * 1024
    form = {"kind": "pakn", "unit": org.unit_a.pk, "content": "Góp ý về giờ làm việc"}
    many = client.post("/phan-anh/", {**form, "attachments": [_pdf(), _pdf(), _pdf()]})
    big = _pdf("lon.pdf", PDF + b"0" * 1024 * 1024)
    large = client.post("/phan-anh/", {**form, "attachments": [big]})
    desk = client_for(clerk_a).post(
        "/cases/new/",
        {**form, "channel": "desk", "attachments": [_pdf("lon.pdf", PDF + b"0" * 1024 * 1024)]},
    )
    pages = {"many": many, "large": large, "desk": desk}
    assert {name: r.status_code for name, r in pages.items()} == {
        "many": 400,
        "large": 400,
        "desk": 400,
    }
    assert "Chỉ được đính kèm tối đa 2 tệp." in many.content.decode()
    assert "Tệp “lon.pdf” lớn hơn 1 MB." in large.content.decode()
    assert "Tệp “lon.pdf” lớn hơn 1 MB." in desk.content.decode()
    assert Case.objects.count() == 0


def test_an_import_file_over_the_size_limit_is_refused_before_it_is_stored(
    client_for, secretary, settings
):
    settings.HAILONG_IMPORT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("danh-muc.csv", b"code,name\n" + b"x" * 1024 * 1024, "text/csv")
    response = client_for(secretary).post("/org/procedures/import/", {"file": upload})
    assert response.status_code == 200
    assert "Tệp quá lớn (tối đa 1 MB)." in response.content.decode()
    assert FileImport.objects.count() == 0
