"""Importing the procedures catalogue: upload the file; the check, the report and the
confirmation follow on the page every file import shares (hailong.core.import_views)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hailong.core.imports import file_import_start, file_imports_visible_to
from hailong.organisation.forms import CatalogueUploadForm
from hailong.organisation.permissions import IMPORT_CATALOGUE, role_required


@role_required(IMPORT_CATALOGUE)
@require_http_methods(["GET", "POST"])
def catalogue_import(request):
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        started = file_import_start(
            kind="catalogue", data=upload.read(), filename=upload.name, actor=request.user
        )
        return redirect("file_import_detail", pk=started.pk)
    uploads = file_imports_visible_to(request.user, "catalogue")[:10]
    return render(request, "organisation/catalogue_import.html", {"form": form, "uploads": uploads})
