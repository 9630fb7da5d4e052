"""Questionnaire versions through their life: draft → published (immutable) → retired.

Editing a published version means making a new draft from it; every response keeps pointing
at the version it answered, so old results keep their exact wording."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record, snapshot
from hailong.organisation.models import Staff
from hailong.surveys import models
from hailong.surveys.files.questionnaire_json import (
    DEFAULT_OPTIONS,
    ModelSet,
    validate_questionnaire_data,
    version_create_from_data,
    version_to_data,
)
from hailong.surveys.models import Questionnaire, QuestionnaireVersion, VersionStatus
from hailong.surveys.selectors.questionnaires import version_problems

MODELS = ModelSet(
    models.Questionnaire, models.QuestionnaireVersion, models.Section, models.Item, models.Option
)


def _next_number(questionnaire: Questionnaire) -> int:
    return (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def version_new_draft(*, source: QuestionnaireVersion, actor: Staff) -> QuestionnaireVersion:
    """A new draft that starts as a copy of `source` (any status)."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=source.questionnaire_id)
    existing = questionnaire.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        raise ValidationError(
            _("Version %(n)d is already a draft: edit it or delete it first.")
            % {"n": existing.number}
        )
    data = version_to_data(source)["version"]
    data["edition"] = source.edition + 1
    data["issued_on"] = ""
    data["change_note"] = ""
    draft = version_create_from_data(MODELS, questionnaire, _next_number(questionnaire), data)
    audit_record(
        actor=actor,
        action="questionnaire_version.create",
        target=draft,
        after={"from_version": source.number},
    )
    return draft


def ensure_draft(version: QuestionnaireVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("A published version cannot be changed. Make a new draft from it."))


def _locked_draft(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """The version's row locked for this transaction, refused unless still a draft: an edit
    racing a publish either lands before it or is refused, never changes a published version."""
    locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    ensure_draft(locked)
    return locked


@transaction.atomic
def version_update(*, version: QuestionnaireVersion, form, actor: Staff) -> QuestionnaireVersion:
    """Save a draft's own fields (title, introduction, consent text, change note) from its
    validated form."""
    before = snapshot(_locked_draft(version))
    saved = form.save()
    audit_record(
        actor=actor,
        action="questionnaire_version.update",
        target=saved,
        before=before,
        after=snapshot(saved),
    )
    return saved


@transaction.atomic
def item_save(*, version: QuestionnaireVersion, form, options, actor: Staff):
    """Save a draft's question and its choices from their validated form and formset."""
    version = _locked_draft(version)
    before = version_to_data(version)["version"]["items"]
    item = form.save()
    options.instance = item
    options.save()
    version_item_saved(version, item)
    audit_record(
        actor=actor,
        action="questionnaire_item.save",
        target=item,
        before={"items": before},
        after={"items": version_to_data(version)["version"]["items"]},
    )
    return item


@transaction.atomic
def item_delete(*, version: QuestionnaireVersion, item, actor: Staff) -> None:
    version = _locked_draft(version)
    audit_record(
        actor=actor, action="questionnaire_item.delete", target=item, before=snapshot(item)
    )
    item.delete()
    version_renumber(version)


@transaction.atomic
def version_publish(*, version: QuestionnaireVersion, actor: Staff) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    ensure_draft(version)
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    if version.issued_on is None:
        version.issued_on = timezone.localdate()
    version.save(update_fields=["status", "published_at", "published_by", "issued_on"])
    audit_record(
        actor=actor,
        action="questionnaire_version.publish",
        target=version,
        after={"number": version.number},
    )
    return version


@transaction.atomic
def version_retire(*, version: QuestionnaireVersion, actor: Staff) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError(_("Only a published version can be retired."))
    open_campaigns = list(version.campaigns.filter(status="open").values_list("name", flat=True))
    if open_campaigns:
        raise ValidationError(
            _("Close the open campaigns that use this version first: %(names)s.")
            % {"names": "; ".join(open_campaigns)}
        )
    version.status = VersionStatus.RETIRED
    version.save(update_fields=["status"])
    audit_record(actor=actor, action="questionnaire_version.retire", target=version)
    return version


@transaction.atomic
def version_delete_draft(*, version: QuestionnaireVersion, actor: Staff) -> None:
    ensure_draft(version)
    audit_record(
        actor=actor,
        action="questionnaire_version.delete",
        target=version,
        before=version_to_data(version),
    )
    version.delete()


def version_item_saved(version: QuestionnaireVersion, item) -> None:
    """After a question is saved: give a scale or yes/no question the standard choices when it
    has none, and renumber the questions so they follow their sections (sections in order,
    questions without a section after them, profile questions last)."""
    if item.kind in DEFAULT_OPTIONS and not item.options.exists():
        models.Option.objects.bulk_create(
            models.Option(item=item, order=i, **option)
            for i, option in enumerate(DEFAULT_OPTIONS[item.kind])
        )
    version_renumber(version)


def version_renumber(version: QuestionnaireVersion) -> None:
    items = list(version.items.select_related("section"))
    items.sort(
        key=lambda i: (
            i.is_profile,
            i.section is None,
            i.section.order if i.section else 0,
            i.order,
            i.pk,
        )
    )
    for number, item in enumerate(items):
        if item.order != number:
            item.order = number
            item.save(update_fields=["order"])


@transaction.atomic
def questionnaire_import(*, data: dict, actor: Staff) -> QuestionnaireVersion:
    """A questionnaire document (JSON) becomes a new draft: of the questionnaire with the same
    code when it exists, otherwise of a new questionnaire."""
    data = validate_questionnaire_data(data)
    questionnaire, created = Questionnaire.objects.get_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "form_code": data.get("form_code", ""),
            "description": data.get("description", ""),
        },
    )
    if questionnaire.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError(
            _("This questionnaire already has a draft: publish or delete it first.")
        )
    version_data = dict(data["version"])
    if not created:
        # A new edition of an existing questionnaire: numbered after the last one, not yet issued.
        last = questionnaire.versions.order_by("-number").first()
        version_data.update(edition=(last.edition + 1) if last else 1, issued_on="")
    draft = version_create_from_data(
        MODELS, questionnaire, _next_number(questionnaire), version_data
    )
    audit_record(
        actor=actor,
        action="questionnaire_version.import",
        target=draft,
        after={"code": questionnaire.code, "created": created},
    )
    return draft


@transaction.atomic
def questionnaire_create(
    *, code: str, name: str, form_code: str, description: str, title_vi: str, actor: Staff
) -> QuestionnaireVersion:
    """A new questionnaire with an empty draft version 1 to fill in."""
    questionnaire = Questionnaire.objects.create(
        code=code, name=name, form_code=form_code, description=description
    )
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, title_vi=title_vi
    )
    audit_record(
        actor=actor,
        action="questionnaire.create",
        target=questionnaire,
        after={"code": code, "name": name},
    )
    return draft


@transaction.atomic
def section_add(
    *, version: QuestionnaireVersion, code: str, title_vi: str, title_en: str, actor: Staff
):
    ensure_draft(version)
    code = code.strip().upper()
    if version.sections.filter(code=code).exists():
        raise ValidationError(
            _("This version already has a section with code %(code)s.") % {"code": code}
        )
    section = version.sections.create(
        code=code, title_vi=title_vi, title_en=title_en, order=version.sections.count()
    )
    audit_record(
        actor=actor,
        action="questionnaire_section.create",
        target=section,
        after={"code": code, "title_vi": title_vi},
    )
    return section
