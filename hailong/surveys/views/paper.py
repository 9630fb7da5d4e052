"""Paper forms: print a numbered run, type the filled-in sheets back in, print counter posters."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hailong.core.forms import EMPTY_CHOICE
from hailong.organisation.models import Service
from hailong.organisation.permissions import role_required
from hailong.organisation.selectors import (
    in_vietnamese_order,
    service_points_visible_to,
    services_visible_to,
    units_visible_to,
)
from hailong.surveys.documents.paper_forms import paper_forms_pdf
from hailong.surveys.documents.poster import poster_pdf
from hailong.surveys.models import Campaign, CampaignStatus, Channel, PaperBatch
from hailong.surveys.paper_entry import answers_from_keys, entry_keys, entry_rows
from hailong.surveys.permissions import ENTER_PAPER, PRINT_MATERIALS
from hailong.surveys.schema import schema_for
from hailong.surveys.selectors.campaigns import campaign_scope, campaigns_visible_to
from hailong.surveys.selectors.paper import (
    format_serial,
    paper_batch_for_serial,
    paper_batch_progress,
)
from hailong.surveys.services.paper import MAX_BATCH, paper_batch_allocate
from hailong.surveys.services.responses import (
    Contact,
    Submission,
    SubmissionRejected,
    response_submit,
)

SESSION_COUNT = "paper_entry_count"


def _paper_campaigns(user):
    campaigns = (
        campaigns_visible_to(user)
        .filter(status=CampaignStatus.OPEN)
        .select_related("version__questionnaire")
    )
    return [c for c in campaigns if Channel.PAPER in c.channels]


def _campaign_or_404(user, pk) -> Campaign:
    campaign = next((c for c in _paper_campaigns(user) if str(c.pk) == str(pk)), None)
    if campaign is None:
        raise Http404
    return campaign


def _covered_units(user, campaign: Campaign):
    """Units the person sees that the campaign covers (its units and everything below them)."""
    covered = campaign_scope(campaign).unit_filter()
    return units_visible_to(user).filter(covered).filter(is_active=True).order_by("path")


class PrintForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit printed on the forms"), queryset=None, empty_label=EMPTY_CHOICE
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of sheets"), min_value=1, max_value=MAX_BATCH, initial=20
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


@role_required(PRINT_MATERIALS)
@require_http_methods(["GET", "POST"])
def paper_print(request, campaign_pk: int):
    campaign = _campaign_or_404(request.user, campaign_pk)
    units = _covered_units(request.user, campaign)
    form = PrintForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        batch = paper_batch_allocate(
            version=campaign.version,
            count=form.cleaned_data["count"],
            campaign=campaign,
            unit=form.cleaned_data["unit"],
            actor=request.user,
        )
        return redirect("surveys:paper_batch_pdf", pk=batch.pk)
    batches = PaperBatch.objects.filter(campaign=campaign, unit__in=units).select_related("unit")
    return render(
        request,
        "surveys/paper_print.html",
        {"campaign": campaign, "form": form, "batches": batches[:20]},
    )


@role_required(PRINT_MATERIALS)
@require_GET
def paper_batch_pdf(request, pk: int):
    batch = (
        PaperBatch.objects.filter(pk=pk, unit__in=units_visible_to(request.user))
        .select_related("version__questionnaire", "unit")
        .first()
    )
    if batch is None:
        raise Http404
    response = HttpResponse(paper_forms_pdf(batch), content_type="application/pdf")
    code = batch.version.questionnaire.code
    name = f"phieu-{code}-{batch.first_serial:06d}-{batch.last_serial:06d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@role_required(PRINT_MATERIALS)
@require_GET
def point_poster(request, pk: int):
    point = service_points_visible_to(request.user).filter(pk=pk, is_active=True).first()
    if point is None:
        raise Http404
    url = request.build_absolute_uri(reverse("public:survey_form", args=[point.code]))
    size = "A5" if request.GET.get("size") == "A5" else "A4"
    response = HttpResponse(poster_pdf(point, url, size=size), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ma-qr-{point.code}-{size}.pdf"'
    return response


@role_required(ENTER_PAPER)
@require_GET
def paper_home(request):
    return render(request, "surveys/paper_home.html", {"campaigns": _paper_campaigns(request.user)})


@role_required(ENTER_PAPER)
@require_http_methods(["GET", "POST"])
def paper_entry(request, campaign_pk: int):
    """One sheet per POST. The unit is the one printed on the sheet (its print run's unit), so
    the clerk types only what is ticked; the serial is read as a number (2 = 000002)."""
    campaign = _campaign_or_404(request.user, campaign_pk)
    version = campaign.version
    schema = schema_for(version)
    covered = _covered_units(request.user, campaign)
    services = in_vietnamese_order(
        services_visible_to(request.user).filter(
            is_active=True,
            pk__in=Service.units.through.objects.filter(unit__in=covered).values("service_id"),
        )
    )
    typed = {k.item.code: request.POST.get(f"e_{k.item.code}", "") for k in entry_keys(schema)}
    context = {
        "campaign": campaign,
        "version": version,
        "services": services,
        "values": request.POST,
        "errors": {},
        "session_count": request.session.get(SESSION_COUNT, 0),
    }
    status = 200
    if request.method == "POST":
        raw_serial = request.POST.get("serial", "").strip()
        serial = format_serial(int(raw_serial)) if raw_serial.isdigit() else raw_serial
        answers, errors = answers_from_keys(schema, typed)
        batch = paper_batch_for_serial(version, serial) if serial else None
        if not serial:
            errors["serial"] = _("Type the number printed at the top of the sheet.")
        elif batch is None or not covered.filter(pk=batch.unit_id).exists():
            errors["serial"] = _("No sheet with number %(serial)s was printed for this form.") % {
                "serial": raw_serial
            }
        if errors:
            context.update(errors=errors, refusal=_("Nothing was saved: check the marked fields."))
            status = 400
        else:
            service = next((s for s in services if s.code == request.POST.get("service")), None)
            submission = Submission(
                version=version,
                unit=batch.unit,
                channel=Channel.PAPER,
                answers=answers,
                campaign=campaign,
                service=service,
                paper_serial=serial,
                dossier_code=request.POST.get("dossier_code", ""),
                contact=Contact(
                    name=request.POST.get("contact_name", ""),
                    phone=request.POST.get("contact_phone", ""),
                    consent_given=request.POST.get("consent") == "yes",
                ),
            )
            try:
                response_submit(submission, actor=request.user)
            except SubmissionRejected as refused:
                context.update(
                    errors={**refused.errors, **_key_errors(refused.errors)},
                    refusal=refused.message,
                )
                status = 409 if refused.code.startswith("duplicate") else 400
            else:
                request.session[SESSION_COUNT] = context["session_count"] + 1
                messages.success(
                    request,
                    _(
                        "Sheet %(serial)s of %(unit)s saved. Print run %(first)06d–%(last)06d: "
                        "%(done)d of %(count)d entered."
                    )
                    % {
                        "serial": serial,
                        "unit": batch.unit.name,
                        "first": batch.first_serial,
                        "last": batch.last_serial,
                        "done": paper_batch_progress(batch),
                        "count": batch.count,
                    },
                )
                return redirect("surveys:paper_entry", campaign_pk=campaign.pk)
    context["keys"] = entry_rows(schema, typed, context["errors"])
    return render(request, "surveys/paper_entry.html", context, status=status)


def _key_errors(errors: dict) -> dict:
    return {"serial": errors["paper_serial"]} if "paper_serial" in errors else {}
