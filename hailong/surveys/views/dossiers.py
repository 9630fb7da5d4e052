"""The dossier register page: response rates and the TT 01/2018 time index per unit, and the
import of dossier files from the one-stop-shop software."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hailong.core.forms import TableFileField
from hailong.core.imports import file_import_start, file_imports_visible_to
from hailong.core.periods import PeriodKind, period_box_text, period_filter
from hailong.organisation.permissions import has_role, role_required
from hailong.surveys.dossiers import response_rates, response_rates_by_service
from hailong.surveys.permissions import ALL_STAFF, IMPORT_RESPONSES


class DossierFileForm(forms.Form):
    file = TableFileField(label=gettext_lazy("Dossier file (CSV or Excel)"))


@role_required(ALL_STAFF)
@require_http_methods(["GET", "POST"])
def dossier_register(request):
    can_import = has_role(request.user, IMPORT_RESPONSES)
    form = DossierFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            started = file_import_start(
                kind="dossiers", data=upload.read(), filename=upload.name, actor=request.user
            )
            return redirect("file_import_detail", pk=started.pk)
    raw_period = request.GET.get("period", "")
    period, period_error = period_filter(raw_period, default=PeriodKind.YEAR)
    return render(
        request,
        "surveys/dossier_register.html",
        {
            "rows": response_rates(request.user, period) if period else [],
            "service_rows": response_rates_by_service(request.user, period)[:50] if period else [],
            "period": period,
            "period_error": period_error,
            "period_text": period_box_text(raw_period, period),
            "form": form,
            "can_import": can_import,
            "uploads": file_imports_visible_to(request.user, "dossiers")[:10] if can_import else [],
        },
    )
