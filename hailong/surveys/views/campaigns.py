"""Survey campaigns: list, create, adjust (kept in history), open and close, progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hailong.organisation.permissions import role_required
from hailong.organisation.selectors import services_visible_to, units_visible_to
from hailong.surveys.forms import CampaignForm
from hailong.surveys.invitations import invitation_rate
from hailong.surveys.models import Campaign, CampaignStatus, Channel
from hailong.surveys.permissions import ALL_STAFF, MANAGE_CAMPAIGNS
from hailong.surveys.selectors.campaigns import (
    campaign_history,
    campaign_progress,
    campaigns_visible_to,
    campaigns_with_totals,
)
from hailong.surveys.services.campaigns import (
    CampaignOverlap,
    campaign_save,
    campaign_set_status,
)


def campaign_or_404(request, pk: int) -> Campaign:
    campaign = (
        campaigns_visible_to(request.user)
        .filter(pk=pk)
        .select_related("version__questionnaire")
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


@role_required(ALL_STAFF)
@require_GET
def campaign_list(request):
    campaigns = campaigns_visible_to(request.user).select_related("version__questionnaire")
    rows = campaigns_with_totals(campaigns, staff=request.user)
    return render(request, "surveys/campaign_list.html", {"rows": rows})


@role_required(ALL_STAFF)
@require_GET
def campaign_detail(request, pk: int):
    campaign = campaign_or_404(request, pk)
    history = campaign_history(campaign)
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": campaign_progress(campaign, staff=request.user),
            "history": history,
            "units": campaign.units.all(),
            "invitations": invitation_rate(campaign),
            "channels": [Channel(c).label for c in campaign.channels if c in Channel.values],
            "services": campaign.services.all(),
            "takes_over": campaign.takes_over.all(),
            "taken_over_by": campaign.taken_over_by.all(),
        },
    )


@role_required(MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int | None = None):
    campaign = campaign_or_404(request, pk) if pk else None
    form = CampaignForm(
        request.POST or None,
        instance=campaign,
        units=units_visible_to(request.user).filter(is_active=True),
        services=services_visible_to(request.user).filter(is_active=True),
    )
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        try:
            campaign_save(
                campaign=instance,
                actor=request.user,
                save_m2m=form.save_m2m,
                take_over=form.cleaned_data["take_over"],
            )
        except CampaignOverlap as exc:
            form.add_error("take_over", exc)
        except ValidationError as exc:
            form.add_error("version", exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("surveys:campaign_detail", pk=instance.pk)
    return render(request, "surveys/campaign_edit.html", {"form": form, "campaign": campaign})


@role_required(MANAGE_CAMPAIGNS)
@require_POST
def campaign_status(request, pk: int):
    campaign = campaign_or_404(request, pk)
    status = request.POST.get("status")
    if status not in CampaignStatus.values:
        raise Http404
    try:
        campaign_set_status(
            campaign=campaign,
            status=status,
            actor=request.user,
            take_over=request.POST.get("take_over") == "1",
        )
        messages.success(request, _("Campaign status changed."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("surveys:campaign_detail", pk=campaign.pk)
