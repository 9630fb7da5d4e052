"""A questionnaire laid out for a page: sections with their items, each with its choices
marked as chosen or not and its error, in the active language. Shared by the public form, the
secretary's preview and the paper-form entry screen."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation

from hailong.surveys.schema import NOT_APPLICABLE, ItemSpec, VersionSchema


def _pick(vi: str, en: str) -> str:
    return en if translation.get_language() == "en" and en else vi


@dataclass
class ChoiceView:
    code: str
    label: str
    value: int | None
    checked: bool


@dataclass
class ItemView:
    spec: ItemSpec
    text: str
    choices: list[ChoiceView]
    text_value: str = ""
    error: str = ""
    not_applicable: bool = False

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def kind(self) -> str:
        return self.spec.kind


@dataclass
class SectionView:
    code: str
    title: str
    items: list[ItemView] = field(default_factory=list)


def layout(
    schema: VersionSchema, version, *, answers: dict | None = None, errors: dict | None = None
) -> tuple[list[SectionView], list[ItemView]]:
    """(sections with the main questions, profile questions), answers kept and errors attached."""
    answers, errors = answers or {}, errors or {}
    titles = {s.code: _pick(s.title_vi, s.title_en) for s in version.sections.all()}
    sections: list[SectionView] = []
    profile: list[ItemView] = []
    for spec in schema.items:
        raw = answers.get(spec.code)
        chosen = (
            {str(v) for v in raw}
            if isinstance(raw, list | tuple)
            else ({str(raw)} if raw not in (None, "") else set())
        )
        view = ItemView(
            spec=spec,
            text=_pick(spec.text_vi, spec.text_en),
            choices=[
                ChoiceView(o.code, _pick(o.label_vi, o.label_en), o.value, o.code in chosen)
                for o in spec.options
            ],
            text_value=" ".join(chosen) if spec.kind in ("text", "number") else "",
            error=errors.get(spec.code, ""),
            not_applicable=bool(chosen & NOT_APPLICABLE),
        )
        if spec.is_profile:
            profile.append(view)
            continue
        if not sections or sections[-1].code != spec.section:
            sections.append(SectionView(spec.section, titles.get(spec.section, "")))
        sections[-1].items.append(view)
    return sections, profile
