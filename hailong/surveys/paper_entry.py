"""Typing paper forms in: what a clerk types (one digit per ticked box) turned into answers.

The keys follow the printed sheet: for the 5-point scale the digit is the column ticked (1–5)
and 0 is "không áp dụng"; for the 3-level rating and yes/no the digit is the value (3/2/1, 1/0);
for other choices it is the choice's position (1, 2, 3, … as printed), several digits for a
multiple choice ("13" = first and third)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hailong.surveys.schema import ItemSpec, VersionSchema

BY_VALUE = {"scale5", "rating3", "yes_no"}


@dataclass
class EntryKey:
    """What the entry screen shows next to an item: which keys mean what."""

    item: ItemSpec
    legend: str
    max_length: int
    allowed: str  # characters accepted, for the keyboard helper


def entry_keys(schema: VersionSchema) -> list[EntryKey]:
    keys = []
    for item in schema.items:
        if item.kind in ("text", "number"):
            keys.append(EntryKey(item, "", 2000 if item.kind == "text" else 12, ""))
            continue
        if item.kind in BY_VALUE:
            pairs = [(str(o.value), o.label_vi) for o in item.options]
            if item.allow_na:
                pairs.append(("0", _("Not applicable")))
        else:
            pairs = [(str(i), o.label_vi) for i, o in enumerate(item.options, start=1)]
        allowed = "".join(sorted({p[0] for p in pairs if len(p[0]) == 1}))
        legend = " · ".join(f"{k} {label}" for k, label in sorted(pairs, key=lambda p: p[0]))
        length = len(item.options) if item.kind == "multi" else 1
        keys.append(EntryKey(item, legend, length, allowed))
    return keys


def entry_rows(schema: VersionSchema, typed: dict, errors: dict) -> list[dict]:
    """Rows of the entry screen. A legend is shown only where it changes, so a run of 5-point
    questions carries it once; `legend_for` names the row whose legend describes this one."""
    rows, previous, legend_for = [], None, ""
    for key in entry_keys(schema):
        if key.legend != previous:
            legend_for = key.item.code
        rows.append(
            {
                "key": key,
                "value": typed.get(key.item.code, ""),
                "error": errors.get(key.item.code, ""),
                "legend": key.legend if key.legend != previous else "",
                "legend_for": legend_for if key.legend else "",
            }
        )
        previous = key.legend
    return rows


def answers_from_keys(schema: VersionSchema, typed: dict[str, str]) -> tuple[dict, dict]:
    """(answers for response_submit, errors by item code) from the typed keys."""
    answers, errors = {}, {}
    for item in schema.items:
        value = (typed.get(item.code) or "").strip()
        if not value:
            continue
        if item.kind in ("text", "number"):
            answers[item.code] = value
            continue
        if item.kind in BY_VALUE:
            if item.allow_na and value == "0":
                answers[item.code] = "0"
                continue
            option = next((o for o in item.options if str(o.value) == value), None)
            if option is None:
                errors[item.code] = _("“%(value)s” is not a key of this question.") % {
                    "value": value
                }
            else:
                answers[item.code] = option.code
            continue
        chosen = []
        for key in value if item.kind == "multi" else [value]:
            position = int(key) if key.isdigit() else 0
            if not 1 <= position <= len(item.options):
                errors[item.code] = _("“%(value)s” is not a key of this question.") % {"value": key}
                break
            chosen.append(item.options[position - 1].code)
        else:
            answers[item.code] = chosen if item.kind == "multi" else chosen[0]
    return answers, errors
