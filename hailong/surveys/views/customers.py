"""Regular customers and the invitations a campaign sends them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hailong.core.forms import TableFileField
from hailong.core.imports import file_import_start, file_imports_visible_to
from hailong.organisation.permissions import role_required
from hailong.surveys.invitations import invitations_send
from hailong.surveys.permissions import MANAGE_CAMPAIGNS
from hailong.surveys.selectors.customers import customers_visible_to
from hailong.surveys.views.campaigns import campaign_or_404


class CustomerFileForm(forms.Form):
    file = TableFileField(label=gettext_lazy("Customer list (CSV or Excel)"))


@role_required(MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def customer_list(request):
    form = CustomerFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        started = file_import_start(
            kind="customers", data=upload.read(), filename=upload.name, actor=request.user
        )
        return redirect("file_import_detail", pk=started.pk)
    customers = customers_visible_to(request.scope).select_related("unit")
    uploads = file_imports_visible_to(request.user, "customers")[:10]
    return render(
        request,
        "surveys/customer_list.html",
        {"form": form, "customers": customers, "uploads": uploads},
    )


@role_required(MANAGE_CAMPAIGNS)
@require_POST
def campaign_invite(request, pk: int):
    campaign = campaign_or_404(request, pk)
    try:
        result = invitations_send(
            campaign=campaign,
            actor=request.user,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "%(sent)d invitations sent, %(reminded)d reminders, %(unreachable)d customers "
                "without email or phone."
            )
            % {"sent": result.sent, "reminded": result.reminded, "unreachable": result.unreachable},
        )
    return redirect("surveys:campaign_detail", pk=campaign.pk)
