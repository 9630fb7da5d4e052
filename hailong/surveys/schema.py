"""What a questionnaire version asks, as plain immutable data, and the validation of answers
against it. Pure functions: no database access after the schema is loaded.

A published version never changes, so its schema is cached per process; this keeps storing a
response at a fixed, small number of queries whatever the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hailong.core.text import normalize_text

NOT_APPLICABLE = {"0", "na", "n/a", "kad", "không áp dụng"}

# The longest free-text answer, in characters as people count them: Unicode code points of
# the NFC form, so a Vietnamese letter typed decomposed on a Mac ("ệ" = e + two marks) counts
# once. A longer one is refused with its length, never cut (the form says the limit and counts).
TEXT_ANSWER_MAX = 4000


@dataclass(frozen=True)
class OptionSpec:
    id: int
    code: str
    value: int | None
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class ItemSpec:
    id: int
    code: str
    kind: str
    section: str
    text_vi: str
    text_en: str
    required: bool
    allow_na: bool
    is_profile: bool
    is_overall: bool
    min_value: int | None
    max_value: int | None
    options: tuple[OptionSpec, ...]
    # Options by code: validation looks one up per answer, a million times in a big import.
    by_code: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "by_code", {o.code: o for o in self.options})

    def option(self, code: str) -> OptionSpec | None:
        return self.by_code.get(code)


@dataclass(frozen=True)
class VersionSchema:
    version_id: int
    items: tuple[ItemSpec, ...]

    def item(self, code: str) -> ItemSpec | None:
        return next((i for i in self.items if i.code == code), None)

    @property
    def overall(self) -> ItemSpec | None:
        return next((i for i in self.items if i.is_overall), None)


@dataclass
class AnswerRow:
    item_id: int
    value: int | None = None
    option_id: int | None = None
    not_applicable: bool = False
    text: str = ""


@dataclass
class ValidatedAnswers:
    rows: list[AnswerRow] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _load(version_id: int) -> VersionSchema:
    from hailong.surveys.models import Item

    items = (
        Item.objects.filter(version_id=version_id)
        .select_related("section")
        .prefetch_related("options")
    )
    return VersionSchema(
        version_id,
        tuple(
            ItemSpec(
                id=i.pk,
                code=i.code,
                kind=i.kind,
                section=i.section.code if i.section else "",
                text_vi=i.text_vi,
                text_en=i.text_en,
                required=i.required,
                allow_na=i.allow_na,
                is_profile=i.is_profile,
                is_overall=i.is_overall,
                min_value=i.min_value,
                max_value=i.max_value,
                options=tuple(
                    OptionSpec(o.pk, o.code, o.value, o.label_vi, o.label_en)
                    for o in i.options.all()
                ),
            )
            for i in items
        ),
    )


@lru_cache(maxsize=256)
def _published_schema(version_id: int, published_at) -> VersionSchema:
    # Keyed by the publication time too: a database that reuses an id (SQLite after a rollback,
    # a test database) must not be answered with another version's questions.
    return _load(version_id)


def schema_for(version) -> VersionSchema:
    """The schema of a version; cached when published (immutable), fresh for drafts."""
    if version.status == "draft":
        return _load(version.pk)
    return _published_schema(version.pk, version.published_at)


@dataclass(frozen=True)
class ReasonsRule:
    """A quick form's reasons question ("Điều gì làm Ông/Bà chưa hài lòng?") belongs to the
    lowest face of its three-level question, as on the kiosk (selectors.kiosk.kiosk_items)."""

    rating: str  # the three-level item's code
    lowest: str  # the code of its lowest option ("Chưa hài lòng")
    reasons: str  # the reasons item's code


def reasons_rule(schema: VersionSchema) -> ReasonsRule | None:
    """The quick form's rule, or None for a form without a three-level item and reasons."""
    rating = next((i for i in schema.items if i.kind == "rating3"), None)
    reasons = next((i for i in schema.items if i.kind == "multi"), None)
    if rating is None or reasons is None or not rating.options:
        return None
    lowest = min(rating.options, key=lambda o: o.value if o.value is not None else 0)
    return ReasonsRule(rating=rating.code, lowest=lowest.code, reasons=reasons.code)


def reasons_only_with_lowest(schema: VersionSchema, answers: dict) -> dict:
    """The answers without the reasons when another face than the lowest was chosen: a person
    who ticked reasons, then changed to "Hài lòng", is satisfied, and the reasons would count
    as complaints in the statistics."""
    rule = reasons_rule(schema)
    if rule is None or not answers.get(rule.reasons):
        return answers
    if _as_list(answers.get(rule.rating)) == [rule.lowest]:
        return answers
    return {code: value for code, value in answers.items() if code != rule.reasons}


def _as_list(raw) -> list[str]:
    if raw is None:
        return []
    if type(raw) is str:  # the common case, first: a single typed or chosen value
        text = raw.strip()
        return [text] if text else []
    if isinstance(raw, list | tuple):
        return [str(v).strip() for v in raw if str(v).strip()]
    text = str(raw).strip()
    return [text] if text else []


def validate_answers(schema: VersionSchema, raw: dict) -> ValidatedAnswers:
    """Turn raw answers {item code: value or [values]} into answer rows, or say what is wrong
    with each item (messages for the respondent, in the active language)."""
    result = ValidatedAnswers()
    for item in schema.items:
        values = _as_list(raw.get(item.code))
        if not values:
            if item.required:
                result.errors[item.code] = _("Please answer this question.")
            continue
        if item.kind == "text":
            text = normalize_text(" ".join(values))
            if len(text) > TEXT_ANSWER_MAX:
                result.errors[item.code] = _(
                    "Please write at most %(max)s characters (now %(n)s)."
                ) % {  # grouped as Vietnamese writes numbers: 4.000, not 4000
                    "max": number_format(TEXT_ANSWER_MAX, force_grouping=True),
                    "n": number_format(len(text), force_grouping=True),
                }
                continue
            result.rows.append(AnswerRow(item.id, text=text))
            continue
        if item.kind == "multi":
            chosen = []
            for code in dict.fromkeys(values):
                option = item.option(code)
                if option is None:
                    result.errors[item.code] = _("“%(value)s” is not one of the choices.") % {
                        "value": code
                    }
                    break
                chosen.append(option)
            else:
                if item.max_value and len(chosen) > item.max_value:
                    result.errors[item.code] = _("Choose at most %(n)d.") % {"n": item.max_value}
                    continue
                result.rows.extend(
                    AnswerRow(item.id, value=o.value, option_id=o.id) for o in chosen
                )
            continue
        if len(values) > 1:
            result.errors[item.code] = _("Choose only one answer.")
            continue
        value = values[0]
        if item.kind == "number":
            try:
                number = int(value)
            except ValueError:
                result.errors[item.code] = _("Enter a whole number.")
                continue
            if (item.min_value is not None and number < item.min_value) or (
                item.max_value is not None and number > item.max_value
            ):
                result.errors[item.code] = _("The number is out of range.")
                continue
            result.rows.append(AnswerRow(item.id, value=number))
            continue
        if item.allow_na and value.lower() in NOT_APPLICABLE:
            result.rows.append(AnswerRow(item.id, not_applicable=True))
            continue
        option = item.option(value)
        if option is None:
            result.errors[item.code] = _("“%(value)s” is not one of the choices.") % {
                "value": value
            }
            continue
        result.rows.append(AnswerRow(item.id, value=option.value, option_id=option.id))
    unknown = set(raw) - {i.code for i in schema.items}
    for code in sorted(unknown):
        if raw.get(code) not in (None, "", []):
            result.errors[code] = _("There is no question with code %(code)s.") % {"code": code}
    return result
