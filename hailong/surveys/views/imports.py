"""Importing survey results from a file: upload, watch the check, read the bad rows, confirm."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hailong.core.forms import EMPTY_CHOICE, TableFileField
from hailong.core.import_views import import_status_context, render_import_status
from hailong.organisation.permissions import role_required
from hailong.surveys.imports import (
    response_import_cancel,
    response_import_confirm,
    response_import_start,
)
from hailong.surveys.models import ImportStatus, QuestionnaireVersion, ResponseImport
from hailong.surveys.permissions import IMPORT_RESPONSES
from hailong.surveys.selectors.campaigns import campaigns_visible_to


class UploadForm(forms.Form):
    version = forms.ModelChoiceField(
        label=gettext_lazy("Questionnaire"), queryset=None, empty_label=EMPTY_CHOICE
    )
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— none (past results) —"),
    )
    file = TableFileField(label=gettext_lazy("CSV or Excel file"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = QuestionnaireVersion.objects.filter(
            status="published"
        ).select_related("questionnaire")
        self.fields["version"].label_from_instance = lambda v: (
            f"{v.questionnaire.name} – v{v.number}"
        )
        self.fields["campaign"].queryset = campaigns_visible_to(user)

    def clean(self):
        cleaned = super().clean()
        campaign, version = cleaned.get("campaign"), cleaned.get("version")
        if campaign and version and campaign.version_id != version.pk:
            self.add_error("campaign", _("This campaign uses another questionnaire version."))
        return cleaned


def _imports_of(user):
    uploads = ResponseImport.objects.select_related("version__questionnaire", "campaign", "job")
    return uploads if user.is_administrator else uploads.filter(created_by=user)


@role_required(IMPORT_RESPONSES)
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        started = response_import_start(
            data=upload.read(),
            filename=upload.name,
            version=form.cleaned_data["version"],
            campaign=form.cleaned_data["campaign"],
            actor=request.user,
        )
        return redirect("surveys:import_detail", pk=started.pk)
    return render(
        request,
        "surveys/import_list.html",
        {"form": form, "uploads": _imports_of(request.user).defer("errors")[:20]},
    )


def _upload(request, pk: int) -> ResponseImport:
    upload = _imports_of(request.user).filter(pk=pk).first()
    if upload is None:
        raise Http404
    return upload


@role_required(IMPORT_RESPONSES)
@require_GET
def import_detail(request, pk: int):
    upload = _upload(request, pk)
    context = import_status_context(
        upload,
        status_url=reverse("surveys:import_detail", args=[upload.pk]),
        confirm_url=reverse("surveys:import_confirm", args=[upload.pk]),
        cancel_url=reverse("surveys:import_cancel", args=[upload.pk]),
        done_message=_("%(n)s responses imported; %(d)s already there were not imported again.")
        % {"n": upload.imported, "d": upload.duplicates},
        done_url=reverse("surveys:response_list")
        + "?channel=import"
        + (f"&campaign={upload.campaign_id}" if upload.campaign_id else ""),
        done_label=_("See the responses"),
    )
    return render_import_status(request, "surveys/import_detail.html", context)


@role_required(IMPORT_RESPONSES)
@require_POST
def import_confirm(request, pk: int):
    upload = response_import_confirm(upload=_upload(request, pk), actor=request.user)
    if upload.status != ImportStatus.IMPORTING:
        messages.info(request, _("This file is already being imported or has nothing to import."))
    return redirect("surveys:import_detail", pk=upload.pk)


@role_required(IMPORT_RESPONSES)
@require_POST
def import_cancel(request, pk: int):
    if response_import_cancel(upload=_upload(request, pk), actor=request.user):
        messages.info(request, _("The import is being cancelled: nothing of this file will stay."))
    else:
        messages.error(request, _("This import has already finished and cannot be cancelled."))
    return redirect("surveys:import_detail", pk=pk)
