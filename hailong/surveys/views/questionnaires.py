"""The quality secretary's questionnaire pages: list, preview, draft editing, publishing,
retiring, comparing versions, JSON export and import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hailong.core.json_body import JsonRejected, json_value
from hailong.organisation.permissions import role_required
from hailong.surveys.files.questionnaire_json import QuestionnaireFormatError, version_to_data
from hailong.surveys.forms import (
    ImportQuestionnaireForm,
    ItemForm,
    NewQuestionnaireForm,
    OptionFormSet,
    SectionForm,
    VersionForm,
)
from hailong.surveys.models import Item, Questionnaire, QuestionnaireVersion
from hailong.surveys.permissions import MANAGE_QUESTIONNAIRES
from hailong.surveys.rendering import layout
from hailong.surveys.schema import schema_for
from hailong.surveys.selectors.questionnaires import version_problems, versions_compare
from hailong.surveys.services import questionnaires as questionnaire_services
from hailong.surveys.services.questionnaires import (
    ensure_draft,
    item_save,
    questionnaire_create,
    questionnaire_import,
    section_add,
    version_delete_draft,
    version_new_draft,
    version_publish,
    version_retire,
    version_update,
)


def _version(pk: int) -> QuestionnaireVersion:
    return get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"), pk=pk)


def _unless_draft(request, version):
    """A redirect back to the version with the reason when it is not an editable draft."""
    try:
        ensure_draft(version)
    except ValidationError as exc:
        _say(request, exc)
        return redirect("surveys:version_detail", pk=version.pk)
    return None


def _say(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@role_required(MANAGE_QUESTIONNAIRES)
@require_GET
def questionnaire_list(request):
    questionnaires = Questionnaire.objects.prefetch_related("versions")
    return render(
        request,
        "surveys/questionnaire_list.html",
        {"questionnaires": questionnaires, "import_form": ImportQuestionnaireForm()},
    )


@role_required(MANAGE_QUESTIONNAIRES)
@require_GET
def version_detail(request, pk: int):
    version = _version(pk)
    sections, profile = layout(schema_for(version), version)
    others = version.questionnaire.versions.exclude(pk=version.pk).order_by("-number")
    return render(
        request,
        "surveys/version_detail.html",
        {
            "version": version,
            "sections": sections,
            "profile": profile,
            "others": others,
            "problems": version_problems(version) if version.is_editable else [],
            "items": version.items.select_related("section").prefetch_related("options"),
            "response_count": version.responses.count(),
        },
    )


@role_required(MANAGE_QUESTIONNAIRES)
@require_POST
def version_action(request, pk: int, action: str):
    version = _version(pk)
    try:
        if action == "draft":
            draft = version_new_draft(source=version, actor=request.user)
            messages.success(request, _("Draft version %(n)d created.") % {"n": draft.number})
            return redirect("surveys:version_detail", pk=draft.pk)
        if action == "publish":
            version_publish(version=version, actor=request.user)
            messages.success(request, _("Version %(n)d is published.") % {"n": version.number})
        elif action == "retire":
            version_retire(version=version, actor=request.user)
            messages.success(request, _("Version %(n)d is retired.") % {"n": version.number})
        elif action == "delete":
            questionnaire = version.questionnaire
            version_delete_draft(version=version, actor=request.user)
            messages.success(request, _("The draft was deleted."))
            latest = questionnaire.versions.order_by("-number").first()
            return (
                redirect("surveys:version_detail", pk=latest.pk)
                if latest
                else redirect("surveys:questionnaire_list")
            )
        else:
            raise Http404
    except ValidationError as exc:
        _say(request, exc)
    return redirect("surveys:version_detail", pk=version.pk)


@role_required(MANAGE_QUESTIONNAIRES)
@require_http_methods(["GET", "POST"])
def version_edit(request, pk: int):
    version = _version(pk)
    if (refusal := _unless_draft(request, version)) is not None:
        return refusal
    form = VersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            version_update(version=version, form=form, actor=request.user)
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, _("Saved."))
        return redirect("surveys:version_detail", pk=version.pk)
    return render(request, "surveys/version_edit.html", {"version": version, "form": form})


@role_required(MANAGE_QUESTIONNAIRES)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int, item_pk: int | None = None):
    version = _version(pk)
    if (refusal := _unless_draft(request, version)) is not None:
        return refusal
    item = (
        get_object_or_404(Item, pk=item_pk, version=version)
        if item_pk
        else Item(version=version, order=version.items.count())
    )
    form = ItemForm(request.POST or None, instance=item, version=version)
    options = OptionFormSet(request.POST or None, instance=item, prefix="options")
    if request.method == "POST" and form.is_valid() and options.is_valid():
        try:
            saved = item_save(version=version, form=form, options=options, actor=request.user)
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, _("Question %(code)s saved.") % {"code": saved.code})
        return redirect("surveys:version_detail", pk=version.pk)
    return render(
        request,
        "surveys/item_edit.html",
        {"version": version, "form": form, "options": options, "item": item},
    )


@role_required(MANAGE_QUESTIONNAIRES)
@require_POST
def item_delete(request, pk: int, item_pk: int):
    version = _version(pk)
    if (refusal := _unless_draft(request, version)) is not None:
        return refusal
    item = get_object_or_404(Item, pk=item_pk, version=version)
    try:
        questionnaire_services.item_delete(version=version, item=item, actor=request.user)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("Question %(code)s deleted.") % {"code": item.code})
    return redirect("surveys:version_detail", pk=version.pk)


@role_required(MANAGE_QUESTIONNAIRES)
@require_GET
def version_compare(request, pk: int):
    version = _version(pk)
    other = get_object_or_404(
        QuestionnaireVersion, pk=request.GET.get("with") or 0, questionnaire=version.questionnaire
    )
    old, new = sorted([version, other], key=lambda v: v.number)
    return render(
        request,
        "surveys/version_compare.html",
        {"old": old, "new": new, "changes": versions_compare(old, new)},
    )


@role_required(MANAGE_QUESTIONNAIRES)
@require_GET
def version_export(request, pk: int):
    version = _version(pk)
    response = JsonResponse(
        version_to_data(version), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    name = f"{version.questionnaire.code}-v{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(MANAGE_QUESTIONNAIRES)
@require_POST
def questionnaire_import_view(request):
    form = ImportQuestionnaireForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a questionnaire file (.json)."))
        return redirect("surveys:questionnaire_list")
    try:
        # The one JSON parser (hailong.core.json_body): NUL and lone surrogates in a text are
        # refused with the reason, as PostgreSQL would refuse them with an error page.
        data = json_value(form.cleaned_data["file"].read().decode("utf-8-sig"))
        draft = questionnaire_import(data=data, actor=request.user)
    except UnicodeDecodeError:
        messages.error(request, _("The file is not valid JSON."))
    except JsonRejected as rejected:
        unstorable = rejected.code == "unstorable_text"
        messages.error(
            request, rejected.message if unstorable else _("The file is not valid JSON.")
        )
    except QuestionnaireFormatError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("Imported as draft version %(n)d.") % {"n": draft.number})
        return redirect("surveys:version_detail", pk=draft.pk)
    return redirect("surveys:questionnaire_list")


@role_required(MANAGE_QUESTIONNAIRES)
@require_http_methods(["GET", "POST"])
def questionnaire_new(request):
    form = NewQuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = questionnaire_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Questionnaire created: add its questions, then publish it."))
        return redirect("surveys:version_detail", pk=draft.pk)
    return render(request, "surveys/questionnaire_new.html", {"form": form})


@role_required(MANAGE_QUESTIONNAIRES)
@require_POST
def section_add_view(request, pk: int):
    version = _version(pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A section needs a code and a Vietnamese title."))
    else:
        try:
            section_add(version=version, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Section added."))
        except ValidationError as exc:
            _say(request, exc)
    return redirect("surveys:version_detail", pk=version.pk)
