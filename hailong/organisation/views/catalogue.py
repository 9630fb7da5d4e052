"""Importing the procedures catalogue: upload, read the report, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hailong.organisation.catalogue_import import CatalogueRow, catalogue_apply, catalogue_parse
from hailong.organisation.forms import CatalogueUploadForm
from hailong.organisation.permissions import IMPORT_CATALOGUE, role_required

# The checked rows wait in the session (database-backed, so any worker can take the confirm).
SESSION_KEY = "catalogue_import_rows"


@role_required(IMPORT_CATALOGUE)
@require_http_methods(["GET", "POST"])
def catalogue_import(request):
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = catalogue_parse(upload.read(), filename=upload.name)
        request.session[SESSION_KEY] = {
            "filename": upload.name,
            "rows": [row.as_dict() for row in report.rows],
        }
    return render(request, "organisation/catalogue_import.html", {"form": form, "report": report})


@role_required(IMPORT_CATALOGUE)
@require_http_methods(["GET", "POST"])
def catalogue_import_confirm(request):
    if request.method == "GET":  # a reload of the result page: nothing to do twice
        return redirect("organisation:catalogue_import")
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or not pending.get("rows"):
        messages.error(request, _("There is nothing to import. Upload the file again."))
        return redirect("organisation:catalogue_import")
    rows = [CatalogueRow(**row) for row in pending["rows"]]
    result = catalogue_apply(rows=rows, actor=request.user)
    messages.success(
        request,
        _("Imported %(file)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
        % {
            "file": pending["filename"],
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return redirect("organisation:service_list")
