"""The indices document: one JSON shape for `GET /api/v1/indices` and `manage.py indices
--json`, computed from the rollups (never from raw answers), so both say the same and keep
saying it after the raw survey forms are disposed of.

The structure (elements and their criteria) is that of the questionnaire's latest published
version (retired ones included); item codes are stable across versions, so the counts of every
version with the same criterion code are added together.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hailong.analytics.dashboard import (
    DEFAULT_QUESTIONNAIRE,
    questionnaire_structure,
    responses_of,
    sipas_of,
)
from hailong.analytics.indices import indices_json
from hailong.analytics.selectors import Slice, item_counts

__all__ = ["DEFAULT_QUESTIONNAIRE", "NotAnIndexQuestionnaire", "indices_document"]


class NotAnIndexQuestionnaire(ValueError):
    """The questionnaire does not exist or has no 5-point criteria in sections; the message is
    for the user, in their language."""


def indices_document(slice_: Slice, *, unit_code: str | None) -> dict:
    """The indices of `slice_` (its questionnaire is required) in the shared JSON shape, with
    the dashboard's own structure and figures (analytics.dashboard), so the page, the API and
    the command cannot differ."""
    code = slice_.questionnaire
    structure = questionnaire_structure(code)
    if not structure.version_ids or not structure.criterion_texts:
        raise NotAnIndexQuestionnaire(
            _("No published questionnaire has the code “%(code)s”.") % {"code": code}
        )
    if not structure.elements:
        raise NotAnIndexQuestionnaire(
            _(
                "The questionnaire “%(code)s” has no 5-point criteria grouped in elements, so "
                "it has no SIPAS-style index."
            )
            % {"code": code}
        )
    counts = item_counts(slice_)
    return indices_json(
        sipas_of(structure, counts),
        period=slice_.period.code,
        unit=unit_code,
        questionnaire=code,
        responses=responses_of(counts),
    )
