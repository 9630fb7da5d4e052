"""The indices document: one JSON shape for `GET /api/v1/indices` and `manage.py indices
--json`, computed from the rollups (never from raw answers), so both say the same and keep
saying it after the raw survey forms are disposed of.

The structure (elements and their criteria) is that of the questionnaire's latest published
or retired version; item codes are stable across versions, so the counts of every version
with the same criterion code are added together.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hailong.analytics.indices import answer_counts, indices_json, sipas_indices, sipas_structure
from hailong.analytics.selectors import RESPONSES, Slice, item_counts
from hailong.surveys.models import QuestionnaireVersion, VersionStatus
from hailong.surveys.schema import schema_for

# The questionnaire the API and the command read when none is named: the SIPAS form.
DEFAULT_QUESTIONNAIRE = "sipas"


class NotAnIndexQuestionnaire(ValueError):
    """The questionnaire does not exist or has no 5-point criteria in sections; the message is
    for the user, in their language."""


def index_structure(code: str) -> dict[str, tuple[str, ...]]:
    """{element code: criterion codes} of the questionnaire `code`, from its latest version
    that citizens answered (published or retired)."""
    version = (
        QuestionnaireVersion.objects.filter(
            questionnaire__code=code,
            status__in=[VersionStatus.PUBLISHED, VersionStatus.RETIRED],
        )
        .order_by("-number")
        .first()
    )
    if version is None:
        raise NotAnIndexQuestionnaire(
            _("No published questionnaire has the code “%(code)s”.") % {"code": code}
        )
    structure = sipas_structure(schema_for(version))
    if not structure:
        raise NotAnIndexQuestionnaire(
            _(
                "The questionnaire “%(code)s” has no 5-point criteria grouped in elements, so "
                "it has no SIPAS-style index."
            )
            % {"code": code}
        )
    return structure


def indices_document(slice_: Slice, *, unit_code: str | None) -> dict:
    """The indices of `slice_` (its questionnaire is required) in the shared JSON shape."""
    structure = index_structure(slice_.questionnaire)
    counts = item_counts(slice_)
    criteria = {code for codes in structure.values() for code in codes}
    answers = {code: answer_counts(c) for code, c in counts.items() if code in criteria}
    result = sipas_indices(structure, answers)
    return indices_json(
        result,
        period=slice_.period.code,
        unit=unit_code,
        questionnaire=slice_.questionnaire,
        responses=counts.get(RESPONSES, {}).get((0, 0), 0),
    )
