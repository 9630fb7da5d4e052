"""Questionnaires as JSON: export, import, and the built-in templates (which are such files).

`version_create_from_data` takes the model classes as arguments so that the data migration
that installs the built-in templates can pass its historical models; it only sets fields the
given models have, so later model changes do not break that old migration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

FORMAT = "hailong.questionnaire/1"
BUILTIN_DIR = Path(__file__).resolve().parents[1] / "builtin"  # hailong/surveys/builtin/
BUILTIN_CODES = ("sipas", "nhanh", "tt01")

SCALE5_OPTIONS = [
    {"code": "1", "value": 1, "label_vi": "Rất không hài lòng", "label_en": "Very dissatisfied"},
    {"code": "2", "value": 2, "label_vi": "Không hài lòng", "label_en": "Dissatisfied"},
    {"code": "3", "value": 3, "label_vi": "Bình thường", "label_en": "Neutral"},
    {"code": "4", "value": 4, "label_vi": "Hài lòng", "label_en": "Satisfied"},
    {"code": "5", "value": 5, "label_vi": "Rất hài lòng", "label_en": "Very satisfied"},
]
# TT 32/2017/TT-BTTTT art. 12 says "Chưa hài lòng"; the labels are editable per version.
RATING3_OPTIONS = [
    {"code": "3", "value": 3, "label_vi": "Rất hài lòng", "label_en": "Very satisfied"},
    {"code": "2", "value": 2, "label_vi": "Hài lòng", "label_en": "Satisfied"},
    {"code": "1", "value": 1, "label_vi": "Chưa hài lòng", "label_en": "Not satisfied"},
]
YES_NO_OPTIONS = [
    {"code": "C", "value": 1, "label_vi": "Có", "label_en": "Yes"},
    {"code": "K", "value": 0, "label_vi": "Không", "label_en": "No"},
]
DEFAULT_OPTIONS = {"scale5": SCALE5_OPTIONS, "rating3": RATING3_OPTIONS, "yes_no": YES_NO_OPTIONS}
KINDS = {"scale5", "rating3", "yes_no", "single", "multi", "number", "text"}
CHOICE_KINDS = {"single", "multi"}
# What a version holds besides its questions (the JSON document and the edit form agree).
VERSION_FIELDS = (
    "title_vi",
    "title_en",
    "intro_vi",
    "intro_en",
    "consent_vi",
    "consent_en",
    "edition",
    "issued_on",
    "change_note",
)


class QuestionnaireFormatError(ValueError):
    """The JSON is not a questionnaire this version of Hài Lòng can read."""


@dataclass
class ModelSet:
    Questionnaire: Any
    QuestionnaireVersion: Any
    Section: Any
    Item: Any
    Option: Any


def _fields(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _pick(model, data: dict, keys: tuple[str, ...]) -> dict:
    allowed = _fields(model)
    return {k: data[k] for k in keys if k in data and k in allowed}


def validate_questionnaire_data(data: Any) -> dict:
    """Check the shape of a questionnaire document; raise with a message for the user."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise QuestionnaireFormatError(_("This file is not a Hài Lòng questionnaire."))
    version = data.get("version")
    if not data.get("code") or not data.get("name") or not isinstance(version, dict):
        raise QuestionnaireFormatError(_("The questionnaire needs a code, a name and a version."))
    sections = {s.get("code") for s in version.get("sections", [])}
    seen = set()
    for item in version.get("items", []):
        code, kind = item.get("code"), item.get("kind")
        if not code:
            raise QuestionnaireFormatError(_("Every question needs a code."))
        if code in seen:
            raise QuestionnaireFormatError(
                _("Two questions have the same code “%(code)s”.") % {"code": code}
            )
        seen.add(code)
        if kind not in KINDS:
            raise QuestionnaireFormatError(
                _("Question %(code)s has an unknown kind “%(kind)s”.")
                % {"code": code, "kind": kind}
            )
        if item.get("section") and item["section"] not in sections:
            raise QuestionnaireFormatError(
                _("Question %(code)s names a section that does not exist.") % {"code": code}
            )
        if kind in CHOICE_KINDS and not item.get("options"):
            raise QuestionnaireFormatError(_("Question %(code)s needs choices.") % {"code": code})
        if not (item.get("text_vi") or "").strip():
            raise QuestionnaireFormatError(
                _("Question %(code)s has no Vietnamese text.") % {"code": code}
            )
    if not seen:
        raise QuestionnaireFormatError(_("The questionnaire has no questions."))
    return data


def version_create_from_data(models: ModelSet, questionnaire, number: int, data: dict):
    """Create a draft version (sections, items, options) from the `version` part of a document."""
    version_data = dict(data)
    issued_on = version_data.get("issued_on")
    version_data["issued_on"] = date.fromisoformat(issued_on) if issued_on else None
    version = models.QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        status="draft",
        **_pick(models.QuestionnaireVersion, version_data, VERSION_FIELDS),
    )
    sections = {}
    for order, section in enumerate(data.get("sections", [])):
        sections[section["code"]] = models.Section.objects.create(
            version=version,
            order=order,
            **_pick(models.Section, section, ("code", "title_vi", "title_en")),
        )
    options = []
    for order, item_data in enumerate(data.get("items", [])):
        item = models.Item.objects.create(
            version=version,
            order=order,
            section=sections.get(item_data.get("section")),
            **_pick(
                models.Item,
                item_data,
                (
                    "code",
                    "kind",
                    "text_vi",
                    "text_en",
                    "required",
                    "allow_na",
                    "is_profile",
                    "is_overall",
                    "min_value",
                    "max_value",
                ),
            ),
        )
        choices = item_data.get("options") or DEFAULT_OPTIONS.get(item_data["kind"], [])
        for option_order, option in enumerate(choices):
            options.append(
                models.Option(
                    item=item,
                    order=option_order,
                    **_pick(models.Option, option, ("code", "value", "label_vi", "label_en")),
                )
            )
    models.Option.objects.bulk_create(options)
    return version


def version_to_data(version) -> dict:
    """The document of one version (what `version_create_from_data` reads back)."""
    questionnaire = version.questionnaire
    items = version.items.select_related("section").prefetch_related("options")
    return {
        "format": FORMAT,
        "code": questionnaire.code,
        "name": questionnaire.name,
        "form_code": questionnaire.form_code,
        "description": questionnaire.description,
        "exported_version": version.number,
        "version": {
            **{name: getattr(version, name) for name in VERSION_FIELDS},
            "issued_on": version.issued_on.isoformat() if version.issued_on else "",
            "sections": [
                {"code": s.code, "title_vi": s.title_vi, "title_en": s.title_en}
                for s in version.sections.all()
            ],
            "items": [
                {
                    "code": i.code,
                    "section": i.section.code if i.section else "",
                    "kind": i.kind,
                    "text_vi": i.text_vi,
                    "text_en": i.text_en,
                    "required": i.required,
                    "allow_na": i.allow_na,
                    "is_profile": i.is_profile,
                    "is_overall": i.is_overall,
                    "min_value": i.min_value,
                    "max_value": i.max_value,
                    "options": [
                        {
                            "code": o.code,
                            "value": o.value,
                            "label_vi": o.label_vi,
                            "label_en": o.label_en,
                        }
                        for o in i.options.all()
                    ],
                }
                for i in items
            ],
        },
    }


def builtin_document(code: str) -> dict:
    return json.loads((BUILTIN_DIR / f"{code}.json").read_text(encoding="utf-8"))


def install_builtin(models: ModelSet, *, published_at=None) -> None:
    """Create the built-in questionnaires that do not exist yet, each with version 1 published."""
    for code in BUILTIN_CODES:
        if models.Questionnaire.objects.filter(code=code).exists():
            continue
        document = builtin_document(code)
        questionnaire = models.Questionnaire.objects.create(
            code=code,
            name=document["name"],
            form_code=document.get("form_code", ""),
            description=document.get("description", ""),
            is_builtin=True,
        )
        version = version_create_from_data(models, questionnaire, 1, document["version"])
        version.status = "published"
        # Published when the procedure issued it (HD.07, 31/8/2020), not when installed here.
        issued = version.issued_on
        version.published_at = (
            datetime.combine(issued, time(8), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
            if issued
            else published_at
        )
        version.save(update_fields=["status", "published_at"])
