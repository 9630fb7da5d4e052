"""Staff pages of the case register: the working lists, desk intake, the case page with its
workflow actions, the receipt, attachments.

Every view looks the case up through `selectors.case_visible_to` (404 outside the person's
scope), and every change goes through one service function."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hailong.core.calendar import WorkingCalendar, calendar_entries
from hailong.feedback import services
from hailong.feedback.actions import actions_of_role, available_actions
from hailong.feedback.deadlines import rules_for, transfer_days_late
from hailong.feedback.forms import DeskCaseForm
from hailong.feedback.intake import Upload, attachment_response, attachments_too_big
from hailong.feedback.models import (
    Case,
    CaseEventKind,
    CaseKind,
    CaseStatus,
    ComplaintInstance,
    DeadlineRule,
)
from hailong.feedback.permissions import ALL_STAFF, INTAKE
from hailong.feedback.receipt import receipt_pdf
from hailong.feedback.selectors import (
    LIST_VIEWS,
    case_list,
    case_list_counts,
    case_search,
    case_visible_to,
    cases_actionable_by,
    identity_hidden_from,
    kinds_visible_to,
    officers_for_unit,
)
from hailong.feedback.services import CaseRejected, CaseStale, local_today
from hailong.organisation.models import Staff
from hailong.organisation.permissions import has_role, role_required
from hailong.organisation.selectors import services_visible_to, tree_walk, units_visible_to

LIST_LABELS = {
    "mine": gettext_lazy("My cases"),
    "due_soon": gettext_lazy("Due in 3 working days"),
    "overdue": gettext_lazy("Overdue"),
    "unassigned": gettext_lazy("Waiting for the desk"),
    "unsatisfied": gettext_lazy("Rated not satisfied"),
    "open": gettext_lazy("All open"),
    "all": gettext_lazy("All"),
}


def _default_view(staff: Staff) -> str:
    return "unassigned" if has_role(staff, INTAKE) else "mine"


@role_required(ALL_STAFF)
@require_GET
def case_list_page(request):
    view = request.GET.get("view") or _default_view(request.user)
    if view not in LIST_VIEWS:
        view = _default_view(request.user)
    today = local_today()
    cases = case_list(request.user, view=view, today=today)
    kind = request.GET.get("kind", "")
    if kind in CaseKind.values:
        cases = cases.filter(kind=kind)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        cases = case_search(cases, query)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    counts = case_list_counts(request.user, today=today)
    return render(
        request,
        "feedback/case_list.html",
        {
            "page": page,
            "view": view,
            "tabs": [(name, str(LIST_LABELS[name]), counts[name]) for name in LIST_VIEWS],
            "kind": kind,
            "kinds": kinds_visible_to(request.user),
            "query": query,
            "today": today,
            "can_intake": has_role(request.user, INTAKE),
            "recorded": request.GET.get("recorded", "")
            if request.GET.get("recorded", "") in request.session.get(RECORDED_KEY, [])
            else "",
        },
    )


def _desk_form(request, data=None, files=None):
    units = list(units_visible_to(request.user).filter(is_active=True))
    services_ = list(services_visible_to(request.user).filter(is_active=True))
    return DeskCaseForm(data, files, units=units, services=services_)


@role_required(INTAKE)
@require_http_methods(["GET", "POST"])
def case_new(request):
    form = _desk_form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case, _created = services.case_receive(form.intake(), actor=request.user)
        except CaseRejected as refused:
            form.add_service_errors(refused.errors)
        else:
            # The desk prints the receipt of what it recorded, even a denunciation it may
            # not follow afterwards (it goes to the people granted them).
            recorded = request.session.get(RECORDED_KEY, [])[-19:]
            request.session[RECORDED_KEY] = [*recorded, case.code]
            messages.success(
                request,
                _("Case %(code)s received. Print the receipt for the person.")
                % {"code": case.code},
            )
            if case_visible_to(request.user, case.code) is None:
                return redirect(f"{reverse('feedback:case_list')}?recorded={case.code}")
            return redirect("feedback:case_detail", code=case.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "feedback/case_new.html", {"form": form}, status=status)


RECORDED_KEY = "hailong_recorded_cases"


def _case_or_404(request, code: str):
    case = case_visible_to(request.user, code)
    if case is None:
        raise Http404
    return case


def _service_choices(staff, case) -> list:
    """The procedures of the editor's scope, and the case's own even when outside it (a
    citizen may pick any procedure): the form must not drop it unasked."""
    choices = list(services_visible_to(staff).filter(is_active=True))
    if case.service_id and all(s.pk != case.service_id for s in choices):
        choices.insert(0, case.service)
    return choices


def _detail_context(request, case, *, kept: dict | None = None, errors: dict | None = None):
    hidden = identity_hidden_from(request.user, case)
    actions = available_actions(request.user, case)
    # Someone who cannot accept a case sees why a new one offers them nothing but notes.
    waits_for_desk = case.status == CaseStatus.RECEIVED and "accept" not in actions
    if not cases_actionable_by(request.user).filter(pk=case.pk).exists():
        actions = set()  # the unit concerned follows a case handled elsewhere
    units = units_visible_to(request.user).filter(is_active=True)
    assigning = bool({"accept", "assign"} & actions)
    rules = rules_for(case.kind, case.received_on, case.instance)
    calendar = WorkingCalendar.load()
    today = local_today()
    due_in = None
    if case.due_on:
        if case.due_on >= today:
            due_in = calendar.working_days_between(today, case.due_on)
        else:  # overdue even when no working day has passed since (a weekend, Tết)
            due_in = -max(calendar.working_days_between(case.due_on, today), 1)
    return {
        "case": case,
        "events": case.events.select_related("actor"),
        "attachments": case.attachments.select_related("uploaded_by"),
        "identity_hidden": hidden,
        "actions": actions,
        "unit_choices": [(n.unit.pk, "— " * n.level + n.unit.name) for n in tree_walk(units)]
        if assigning
        else [],
        "officers": officers_for_unit(case.handling_unit, case=case) if assigning else [],
        "rules": rules,
        "due_in": due_in,
        "waits_for_desk": waits_for_desk,
        "overdue_days": -due_in if due_in is not None and due_in < 0 else 0,
        "transfer_late_days": transfer_days_late(
            transfer_due_on=case.transfer_due_on,
            transferred_on=case.transferred_on,
            calendar=calendar,
        ),
        "today": today,
        "kept": kept or {},
        "errors": errors or {},
        "kinds": CaseKind.choices,
        "services": _service_choices(request.user, case) if "update" in actions else [],
        "event_kinds": CaseEventKind,
    }


@role_required(ALL_STAFF)
@require_GET
def case_detail(request, code: str):
    case = _case_or_404(request, code)
    return render(request, "feedback/case_detail.html", _detail_context(request, case))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _run_action(request, case, action: str):
    post = request.POST
    version = _int(post.get("version"))
    if version is None:
        # Every form carries the version it was drawn from; without it a save could
        # overwrite someone else's change unseen.
        raise CaseStale(_("This form is out of date. Check the case as it is now and try again."))
    common = {"case": case, "actor": request.user, "expected_version": version}
    if action == "accept":
        unit_id = _int(post.get("unit"))
        with transaction.atomic():  # "accept and assign" in one step: both or neither
            case = services.case_accept(**common, note=post.get("note", ""))
            if unit_id or post.get("officer"):  # an officer alone: in the current unit
                unit_id = unit_id or case.handling_unit_id
                return _assign(request, case, unit_id, post.get("officer"), case.version)
        return case
    if action == "refuse":
        return services.case_refuse(**common, reason=post.get("reason", ""))
    if action == "assign":
        return _assign(request, case, _int(post.get("unit")), post.get("officer"), version)
    if action == "attach":
        file = request.FILES.get("file")
        upload = None
        if file is not None:
            too_big = attachments_too_big([(file.name, file.size)])
            if too_big:
                raise CaseRejected(too_big, {"file": too_big})
            upload = Upload(file.name, file.content_type or "", file.read())
        return services.case_attach(**common, upload=upload, public=post.get("public") == "on")
    if action == "return":
        return services.case_return(**common, reason=post.get("reason", ""))
    if action == "start":
        return services.case_start(**common)
    if action == "answer":
        return services.case_answer(**common, reply=post.get("reply", ""))
    if action == "transfer":
        return services.case_transfer(
            **common, agency=post.get("agency", ""), reason=post.get("reason", "")
        )
    if action == "close":
        return services.case_close(**common, note=post.get("note", ""))
    if action == "reopen":
        return services.case_reopen(**common, reason=post.get("reason", ""))
    if action in ("note", "reply"):
        return services.case_add_note(**common, text=post.get("text", ""), public=action == "reply")
    if action == "update":
        return services.case_update(**common, changes=_detail_changes(request, case))
    raise Http404


def _detail_changes(request, case) -> dict:
    """The details the correction form posted; fields it did not send are left alone."""
    post = request.POST
    changes: dict = {}
    if "title" in post:
        changes["title"] = post["title"].strip()[:200] or case.title
    if "dossier_code" in post:
        changes["dossier_code"] = post["dossier_code"].strip().upper()[:60]
    if "kind" in post:
        if post["kind"] not in CaseKind.values:
            raise CaseRejected(_("Choose a kind."), {"kind": _("Choose a kind.")})
        changes["kind"] = post["kind"]
    if "flags" in post:  # the form's checkboxes: absent means unticked
        changes["is_complex"] = post.get("is_complex") == "on"
        changes["is_remote"] = post.get("is_remote") == "on"
        second = post.get("second_instance") == "on"
        changes["instance"] = ComplaintInstance.SECOND if second else ComplaintInstance.FIRST
    if "service" in post:
        service_id = _int(post["service"])
        if service_id and service_id == case.service_id:
            service = case.service  # kept as drawn, even if outside the editor's scope
        else:
            service = (
                services_visible_to(request.user).filter(pk=service_id).first()
                if service_id
                else None
            )
        if service_id and service is None:
            message = _("Choose a procedure of your scope.")
            raise CaseRejected(message, {"service": message})
        changes["service"] = service
    return changes


def _assign(request, case, unit_id, officer_id, expected):
    unit = units_visible_to(request.user).filter(pk=unit_id).first() if unit_id else None
    if unit is None:
        message = _("Choose the unit that will handle the case.")
        raise CaseRejected(message, {"unit": message})
    officer = None
    if officer_id:
        officer = Staff.objects.filter(pk=_int(officer_id), is_active=True).first()
        if officer is None:
            message = _("This officer does not exist or no longer works here.")
            raise CaseRejected(message, {"officer": message})
    return services.case_assign(
        case=case, actor=request.user, expected_version=expected, unit=unit, officer=officer
    )


DONE_MESSAGES = {
    "accept": gettext_lazy("Case accepted."),
    "refuse": gettext_lazy("Case refused; the reason is shown to the citizen."),
    "assign": gettext_lazy("Case assigned."),
    "start": gettext_lazy("You are now handling this case."),
    "answer": gettext_lazy("Answer sent. The citizen can read it and rate the handling."),
    "transfer": gettext_lazy("Case transferred."),
    "return": gettext_lazy("Case returned to the desk."),
    "attach": gettext_lazy("File attached."),
    "close": gettext_lazy("Case closed."),
    "reopen": gettext_lazy("Case reopened."),
    "note": gettext_lazy("Internal note added."),
    "reply": gettext_lazy("Reply published to the citizen."),
    "update": gettext_lazy("Details saved; deadlines computed again."),
}


@role_required(ALL_STAFF)
@require_http_methods(["GET", "POST"])
def case_action(request, code: str, action: str):
    case = _case_or_404(request, code)
    if action not in DONE_MESSAGES:
        raise Http404
    if request.method == "GET":  # e.g. the address bar after a refused form: show the case
        return redirect("feedback:case_detail", code=case.code)
    if action not in actions_of_role(request.user):
        raise PermissionDenied
    if not cases_actionable_by(request.user).filter(pk=case.pk).exists():
        raise PermissionDenied  # followed from the unit concerned, handled elsewhere
    try:
        done = _run_action(request, case, action)
    except CaseRejected as refused:
        # Nothing was changed: draw the case as it is now, with what the person typed kept in
        # the form they used, and say why.
        case = _case_or_404(request, code)
        messages.error(request, refused.message)
        context = _detail_context(
            request,
            case,
            kept={"action": action, **request.POST.dict()},
            errors=refused.errors,
        )
        status = 409 if isinstance(refused, CaseStale) else 400
        return render(request, "feedback/case_detail.html", context, status=status)
    if done.version == case.version:
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, DONE_MESSAGES[action])
    return redirect("feedback:case_detail", code=case.code)


@role_required(ALL_STAFF)
@require_GET
def case_officers(request, code: str):
    """The officer choices for the unit picked in the accept or assign form (htmx)."""
    case = _case_or_404(request, code)
    unit = units_visible_to(request.user).filter(pk=_int(request.GET.get("unit"))).first()
    officers = officers_for_unit(unit, case=case) if unit is not None else []
    return render(request, "feedback/_officer_options.html", {"officers": officers})


@role_required(ALL_STAFF)
@require_GET
def case_receipt(request, code: str):
    case = case_visible_to(request.user, code)
    if case is None and code.upper() in request.session.get(RECORDED_KEY, []):
        case = Case.objects.select_related("unit", "service").get(code=code.upper())
    if case is None:
        raise Http404
    lookup = request.build_absolute_uri(reverse("public:case_lookup")) + f"?ma={case.code}"
    pdf = receipt_pdf(
        case, lookup_url=lookup, show_identity=not identity_hidden_from(request.user, case)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{case.code}.pdf"'
    return response


@role_required(ALL_STAFF)
@require_GET
def case_attachment(request, code: str, pk: int):
    case = _case_or_404(request, code)
    attachment = case.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    if identity_hidden_from(request.user, case):
        # A denouncer's own documents may reveal who they are.
        raise PermissionDenied
    return attachment_response(attachment)


# The years whose working calendar the deadline-rules page shows.
CALENDAR_YEARS = (2000, 2100)


@role_required(ALL_STAFF)
@require_GET
def deadline_rules(request):
    rules = DeadlineRule.objects.all()
    this_year = local_today().year
    raw_year = request.GET.get("year", "")
    year, year_error = this_year, ""
    if raw_year:
        try:
            year = int(raw_year)
        except ValueError:
            year = 0
        if not CALENDAR_YEARS[0] <= year <= CALENDAR_YEARS[1]:
            year_error = _("Give a year from %(first)d to %(last)d.") % {
                "first": CALENDAR_YEARS[0],
                "last": CALENDAR_YEARS[1],
            }
            year = this_year
    return render(
        request,
        "feedback/deadline_rules.html",
        {
            "rules": rules,
            "can_edit": request.user.is_administrator,
            "year": year,
            "year_error": year_error,
            "calendar": calendar_entries(year),
        },
    )
