"""Reads of questionnaire versions: what keeps a draft from being published, and what changed
between two versions."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hailong.surveys.files.questionnaire_json import (
    CHOICE_KINDS,
    DEFAULT_OPTIONS,
    validate_questionnaire_data,
    version_to_data,
)
from hailong.surveys.models import QuestionnaireVersion


def version_problems(version: QuestionnaireVersion) -> list[str]:
    """What stops a draft from being published, in words for the secretary."""
    try:
        validate_questionnaire_data(version_to_data(version))
    except ValueError as exc:
        return [str(exc)]
    problems = []
    if not version.title_vi.strip():
        problems.append(_("The version has no Vietnamese title."))
    for item in version.items.prefetch_related("options"):
        if item.kind in CHOICE_KINDS | set(DEFAULT_OPTIONS) and not item.options.all():
            problems.append(_("Question %(code)s has no choices.") % {"code": item.code})
    if version.number > 1 and not version.change_note.strip():
        # ISO 9001 document control: every new edition says what changed.
        problems.append(_("Say what changed in this version (“What changed”)."))
    return problems


@dataclass
class ItemChange:
    code: str
    kind: str  # "added", "removed", "changed", "same"
    before: str
    after: str
    details: list[str]


def versions_compare(old: QuestionnaireVersion, new: QuestionnaireVersion) -> list[ItemChange]:
    """Item by item (by stable code): what was added, removed or reworded between two versions."""

    def items(version):
        return {i["code"]: i for i in version_to_data(version)["version"]["items"]}

    before, after = items(old), items(new)
    changes = []
    for code in list(before) + [c for c in after if c not in before]:
        a, b = before.get(code), after.get(code)
        if a is None:
            changes.append(ItemChange(code, "added", "", b["text_vi"], []))
        elif b is None:
            changes.append(ItemChange(code, "removed", a["text_vi"], "", []))
        else:
            details = []
            if a["kind"] != b["kind"]:
                details.append(_("kind changed"))
            if [o["label_vi"] for o in a["options"]] != [o["label_vi"] for o in b["options"]]:
                details.append(_("choices changed"))
            if a["required"] != b["required"]:
                details.append(_("required changed"))
            kind = "changed" if details or a["text_vi"] != b["text_vi"] else "same"
            changes.append(ItemChange(code, kind, a["text_vi"], b["text_vi"], details))
    return changes
