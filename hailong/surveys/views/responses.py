"""Responses as staff see them: a filtered list within their scope, one response, a correction."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hailong.core.audit import audit_record
from hailong.organisation.permissions import has_role, role_required
from hailong.surveys.files.responses_out import (
    XLSX_MAX_RESPONSES,
    export_csv_stream,
    export_filename,
    export_xlsx_stream,
    in_language,
)
from hailong.surveys.forms import ResponseFilterForm, response_filter_form
from hailong.surveys.models import Answer, ExportFormat
from hailong.surveys.paper_entry import answers_from_keys, entry_keys, entry_rows
from hailong.surveys.permissions import ALL_STAFF, CORRECT_RESPONSES, IMPORT_RESPONSES
from hailong.surveys.schema import schema_for
from hailong.surveys.selectors.responses import responses_visible_to
from hailong.surveys.services.exports import export_query, responses_for_query
from hailong.surveys.services.responses import SubmissionRejected, response_correct


def filter_form(request) -> ResponseFilterForm:
    return response_filter_form(request.user, request.GET)


@role_required(ALL_STAFF)
@require_GET
def response_list(request):
    form = filter_form(request)
    overall = Answer.objects.filter(response=OuterRef("pk"), item__is_overall=True)
    responses = form.responses(request.user).annotate(
        overall_label=Subquery(overall.values("option__label_vi")[:1]),
    )
    page = Paginator(responses, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/response_list.html",
        {
            "form": form,
            "page": page,
            "can_import": has_role(request.user, IMPORT_RESPONSES),
            "scope": request.scope,
        },
    )


@role_required(ALL_STAFF)
@require_GET
def response_export(request):
    """The filtered list as a file in the import format (CSV or XLSX), streamed as it is
    written; a large one is offered as a background export instead."""
    file_format = ExportFormat.XLSX if request.GET.get("format") == "xlsx" else ExportFormat.CSV
    query = export_query(request.GET)
    if response_filter_form(request.user, query).rejected:
        # The list shows why; an export of nothing (or of everything) would be taken for it.
        return redirect(f"{reverse('surveys:response_list')}?{urlencode(query)}")
    responses = responses_for_query(request.user, query)
    count = responses.count()
    too_many = file_format == ExportFormat.XLSX and count > XLSX_MAX_RESPONSES
    if too_many or count > settings.HAILONG_EXPORT_BACKGROUND_ROWS:
        return render(
            request,
            "surveys/export_confirm.html",
            {
                "count": count,
                "file_format": file_format,
                "too_many": too_many,
                "xlsx_max": XLSX_MAX_RESPONSES,
                "query": urlencode(query),
            },
        )
    language = translation.get_language()
    if file_format == ExportFormat.XLSX:
        response = StreamingHttpResponse(
            in_language(export_xlsx_stream(responses), language),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            in_language(export_csv_stream(responses), language),
            content_type="text/csv; charset=utf-8",
        )
    filename = export_filename(file_format, timezone.now())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    audit_record(
        actor=request.user,
        action="response.export",
        after={"filters": query, "format": file_format, "rows": count},
    )
    return response


def _response(request, pk: int, *, basis: str = ""):
    """A response the person may see; `basis="given"` for what only the unit where it was
    given may do (correct it, read the respondent's contact details)."""
    response = (
        responses_visible_to(request.scope, basis=basis)
        .filter(pk=pk)
        .select_related(
            "unit", "service", "campaign", "version__questionnaire", "service_point", "entered_by"
        )
        .first()
    )
    if response is None:
        raise Http404
    return response


@role_required(ALL_STAFF)
@require_GET
def response_detail(request, pk: int):
    response = _response(request, pk)
    given_here = has_role(request.user, CORRECT_RESPONSES) and (
        responses_visible_to(request.scope, basis="given").filter(pk=pk).exists()
    )
    # One line per question; a multiple choice lists its ticked choices together.
    answers = []
    for answer in response.answers.select_related("item", "option").order_by("item__order", "id"):
        if answer.not_applicable:
            text = _("Not applicable")
        elif answer.option:
            text = answer.option.label_vi
        else:
            text = answer.text or str(answer.value)
        if answers and answers[-1]["item"] == answer.item:
            answers[-1]["text"] += f"; {text}"
        else:
            answers.append({"item": answer.item, "text": text})
    return render(
        request,
        "surveys/response_detail.html",
        {
            "response": response,
            "answers": answers,
            "can_correct": given_here,
            # Only the unit where it was given reads the contact details; for anyone else
            # they are not handed to the template at all.
            "contact": _contact(response) if given_here else None,
        },
    )


def _contact(response) -> dict | None:
    consent = response.consent
    if consent is None or consent.erased_at is not None:
        return None
    return {"name": consent.name, "phone": consent.phone, "email": consent.email}


@role_required(CORRECT_RESPONSES)
@require_http_methods(["GET", "POST"])
def response_correct_view(request, pk: int):
    response = _response(request, pk, basis="given")
    schema = schema_for(response.version)
    current = {}
    for answer in response.answers.select_related("item", "option"):
        spec = schema.item(answer.item.code)
        if spec is None:
            continue
        if spec.kind in ("text", "number"):
            current[spec.code] = answer.text or str(answer.value or "")
        elif answer.not_applicable:
            current[spec.code] = "0"
        elif spec.kind in ("scale5", "rating3", "yes_no"):
            current[spec.code] = str(answer.value)
        else:
            position = next(i for i, o in enumerate(spec.options, 1) if o.id == answer.option_id)
            current[spec.code] = current.get(spec.code, "") + str(position)
    if request.method == "POST":
        typed = {k.item.code: request.POST.get(f"e_{k.item.code}", "") for k in entry_keys(schema)}
    else:
        typed = current
    errors = {}
    reason = request.POST.get("reason", "")
    if request.method == "POST":
        answers, errors = answers_from_keys(schema, typed)
        if not reason.strip():
            errors["reason"] = _("Say why the answers are corrected.")
        if not errors:
            try:
                response_correct(
                    response=response, answers=answers, actor=request.user, reason=reason
                )
            except SubmissionRejected as refused:
                errors = refused.errors
            else:
                messages.success(request, _("The response was corrected; the original is kept."))
                return redirect("surveys:response_detail", pk=response.pk)
    keys = entry_rows(schema, typed, errors)
    return render(
        request,
        "surveys/response_correct.html",
        {"response": response, "keys": keys, "errors": errors, "reason": reason},
        status=400 if errors else 200,
    )
