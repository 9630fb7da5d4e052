"""Paper forms: print a numbered run, type the filled-in sheets back in, print counter posters."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hailong.core.forms import EMPTY_CHOICE
from hailong.core.moments import moment_refusal
from hailong.core.periods import LOCAL_TZ
from hailong.core.phones import canonical_phone
from hailong.core.text import fold_for_search
from hailong.organisation.models import Service
from hailong.organisation.permissions import role_required
from hailong.organisation.selectors import (
    in_vietnamese_order,
    service_points_visible_to,
    unit_choices,
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
    RESPONSE_OLDEST,
    Contact,
    Submission,
    SubmissionRejected,
    campaign_coverage,
    response_submit,
)

SESSION_COUNT = "paper_entry_count"
# The date last typed, kept for the next sheet (a stack of sheets is usually of one day), but
# only on the day it was typed: a date left from yesterday's session is not silently reused.
SESSION_DATE = "paper_entry_date"


def _day_text(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _parse_day(raw: str) -> date | None:
    """As written on the sheet, 5/10/2026 (also 05-10-2026, 05.10.2026, 2026-10-05). A text
    box, not the browser's date box: in Chromium Tab walks the date box's day, month and year,
    so a clerk typing blind would not leave it."""
    raw = raw.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def _service_typed(services: list[Service], code: str, typed: str) -> tuple[Service | None, str]:
    """(procedure, error) from the picker: the code it chose, or (without script, or typed and
    not chosen) the text in its box: a procedure code, or words of the name folded so that
    "dang ky" finds "Đăng ký khai sinh" (one match only)."""
    if code:
        chosen = next((s for s in services if s.code == code), None)
        if chosen is None:
            return None, _("Procedure %(code)s is not one this form covers.") % {"code": code}
        return chosen, ""
    words = fold_for_search(typed).split()
    if not words:
        return None, ""
    exact = [s for s in services if s.code.lower() == typed.strip().lower()]
    matches = exact or [
        s for s in services if all(w in fold_for_search(f"{s.code} {s.name}") for w in words)
    ]
    if len(matches) == 1:
        return matches[0], ""
    if not matches:
        return None, _("No procedure of this form matches “%(text)s”.") % {"text": typed[:60]}
    return None, _("%(count)d procedures match “%(text)s”: type more of the name or the code.") % {
        "count": len(matches),
        "text": typed[:60],
    }


def _sheet_day_default(request) -> str:
    kept = request.session.get(SESSION_DATE) or {}
    today = timezone.localdate()
    day = date.fromisoformat(kept["day"]) if kept.get("on") == today.isoformat() else today
    return _day_text(day)


def _sheet_moment(raw: str, campaign: Campaign) -> tuple[datetime | None, str]:
    """(submitted_at, error) from the date written on the sheet. A sheet has a day, not a
    time: today's sheet is dated now, an earlier one at noon of its day, so its local day (what
    periods count) is the day written whatever the time zone arithmetic. The bounds are the
    write path's (RESPONSE_OLDEST, the clock) and the campaign's dates, said here at the field
    in staff wording; the write path checks them again."""
    day = _parse_day(raw)
    if day is None:
        return None, _("Type the date written on the sheet as dd/mm/yyyy.")
    now = timezone.now()
    if day == timezone.localdate(now):
        moment = now
    else:
        moment = datetime.combine(day, time(12), tzinfo=LOCAL_TZ)
    refusal = moment_refusal(moment, oldest=RESPONSE_OLDEST, now=now)
    if refusal:
        return None, refusal
    if day < campaign.starts_on:
        return None, _(
            "The date on the sheet is before the campaign started (%(start)s): check the date "
            "or the campaign."
        ) % {"start": _day_text(campaign.starts_on)}
    if day > campaign.ends_on:
        return None, _(
            "The date on the sheet is after the campaign ended (%(end)s): check the date or "
            "the campaign."
        ) % {"end": _day_text(campaign.ends_on)}
    return moment, ""


def _before_printing(submitted_at: datetime, batch: PaperBatch, serial: str) -> str:
    """A sheet cannot be filled in before its print run was printed: a date before it is a
    slip in the typing (16/09 for 02/12 printed, day and month swapped), said at the field."""
    day = submitted_at.astimezone(LOCAL_TZ).date()
    printed = batch.printed_at.astimezone(LOCAL_TZ).date()
    if day >= printed:
        return ""
    return _(
        "Sheet %(serial)s was printed on %(printed)s: the date on the sheet (%(day)s) cannot be "
        "earlier. Check the date (day and month swapped?)."
    ) % {"serial": serial, "printed": _day_text(printed), "day": _day_text(day)}


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
        # The tree as everywhere else (parents first, siblings by order and name, indented):
        # the queryset's path order puts "/1/10/" before "/1/2/".
        self.fields["unit"].choices = [("", EMPTY_CHOICE), *unit_choices(units)]


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
    # Exactly what the write path accepts for the campaign (its procedures, or all of them),
    # not the covered units' own lists: the QR form of a district counter offers and stores
    # communes' procedures in the same campaign. Retired procedures are not offered.
    services = in_vietnamese_order(campaign_coverage(campaign).services().filter(is_active=True))
    typed = {k.item.code: request.POST.get(f"e_{k.item.code}", "") for k in entry_keys(schema)}
    context = {
        "campaign": campaign,
        "version": version,
        "services": services,
        "values": request.POST,
        "errors": {},
        "session_count": request.session.get(SESSION_COUNT, 0),
        "sheet_date": request.POST.get("sheet_date", "") or _sheet_day_default(request),
        # The picker's list: code, name and both folded, so the script finds "Đ" by "d".
        "service_options": [
            {"code": s.code, "name": s.name, "folded": fold_for_search(f"{s.code} {s.name}")}
            for s in services
        ],
        "entry_text": {
            "refused": _(
                "Key “%(key)s” is not accepted here: this question's keys are %(keys)s. "
                "The cursor stays on it."
            ),
            "none": _("No procedure matches: type words of its name or its code."),
            # Under a list cut at 8 (static/js/paper_entry.js fills in the number).
            "more_one": _("… and 1 more procedure: type more to narrow the list"),
            "more": _("… and %(n)s more procedures: type more to narrow the list"),
        },
    }
    status = 200
    if request.method == "POST":
        raw_serial = request.POST.get("serial", "").strip()
        serial = format_serial(int(raw_serial)) if raw_serial.isdigit() else raw_serial
        answers, errors = answers_from_keys(schema, typed)
        # Said to the clerk, not the citizen the write path would address ("please answer").
        for item in schema.items:
            if item.required and item.code not in answers and item.code not in errors:
                errors[item.code] = _(
                    "The form requires this question: type the key ticked on the sheet."
                )
        contact_given = any(
            request.POST.get(name, "").strip() for name in ("contact_name", "contact_phone")
        )
        if contact_given and request.POST.get("consent") != "yes":
            errors["consent"] = _(
                "A name or phone is typed: tick this if the consent box on the sheet is ticked, "
                "else leave the name and phone empty."
            )
        submitted_at, date_error = _sheet_moment(context["sheet_date"], campaign)
        if date_error:
            errors["sheet_date"] = date_error
        batch = paper_batch_for_serial(version, serial) if serial else None
        if not serial:
            errors["serial"] = _("Type the number printed at the top of the sheet.")
        elif batch is None or not covered.filter(pk=batch.unit_id).exists():
            errors["serial"] = _("No sheet with number %(serial)s was printed for this form.") % {
                "serial": raw_serial
            }
        if batch is not None and submitted_at is not None and "serial" not in errors:
            printed_error = _before_printing(submitted_at, batch, serial)
            if printed_error:
                errors["sheet_date"] = printed_error
        service, service_error = _service_typed(
            services, request.POST.get("service", ""), request.POST.get("service_search", "")
        )
        if service_error:
            errors["service"] = service_error
        if errors:
            context.update(errors=errors, refusal=_("Nothing was saved: check the marked fields."))
            status = 400
        else:
            submission = Submission(
                version=version,
                unit=batch.unit,
                channel=Channel.PAPER,
                answers=answers,
                campaign=campaign,
                service=service,
                paper_serial=serial,
                submitted_at=submitted_at,
                dossier_code=request.POST.get("dossier_code", ""),
                contact=Contact(
                    name=request.POST.get("contact_name", ""),
                    phone=canonical_phone(request.POST.get("contact_phone", "")),
                    consent_given=request.POST.get("consent") == "yes",
                ),
            )
            try:
                response_submit(submission, actor=request.user)
            except SubmissionRejected as refused:
                context.update(
                    errors={**refused.errors, **_key_errors(refused.errors)},
                    refusal=_staff_refusal(refused),
                )
                status = 409 if refused.code.startswith("duplicate") else 400
            else:
                request.session[SESSION_COUNT] = context["session_count"] + 1
                request.session[SESSION_DATE] = {
                    "day": submitted_at.astimezone(LOCAL_TZ).date().isoformat(),
                    "on": timezone.localdate().isoformat(),
                }
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


def _staff_refusal(refused: SubmissionRejected) -> str:
    """The write path's refusal for the clerk: its answer and consent messages address the
    citizen filling in a form; the rest (duplicates, campaign) are said as they are."""
    if refused.code in ("answers", "consent"):
        return _("Nothing was saved: check the marked fields.")
    return refused.message


def _key_errors(errors: dict) -> dict:
    """The write path's field names as the entry screen's."""
    names = {"paper_serial": "serial", "submitted_at": "sheet_date"}
    return {names[k]: v for k, v in errors.items() if k in names}
