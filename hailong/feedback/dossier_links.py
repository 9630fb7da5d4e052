"""Which dossiers of the register have a PAKN case about them (surveys.Dossier.has_pakn).

"With a PAKN" (QĐ 766, hailong.analytics.dossier_figures): a feedback Case of kind PAKN about
the dossier's unit whose dossier_code is the dossier's code, compared in upper case (the
register keeps codes in upper case; a case's code is as typed). Case has no foreign key to
Dossier: the unit and the code are the link. The flag is stored on the dossier and kept here,
in the transaction of every case write that can change it (received; kind, unit or code
corrected), and for the dossiers the register writes (hailong.analytics.dossier_facts, the
dossier hook).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Upper

from hailong.feedback.models import Case, CaseKind
from hailong.surveys.models import Dossier


def pakn_cases():
    """The PAKN cases that name a dossier, with their code in upper case (`upper_code`)."""
    return (
        Case.objects.filter(kind=CaseKind.PAKN)
        .exclude(dossier_code="")
        .annotate(upper_code=Upper("dossier_code"))
    )


def pakn_exists():
    """For a Dossier queryset (update or annotate): whether a PAKN case is about it."""
    return Exists(pakn_cases().filter(unit_id=OuterRef("unit_id"), upper_code=OuterRef("code")))


def pakn_links(case: Case) -> set[tuple[int, str]]:
    """The (unit, code) a case may make a dossier "with a PAKN" by, whatever its kind (a kind
    changed away from PAKN takes the flag away)."""
    return {(case.unit_id, case.dossier_code)} if case.dossier_code and case.unit_id else set()


def dossiers_pakn_refresh(links: Iterable[tuple[int, str]]) -> int:
    """Compute has_pakn again for the dossiers of these (unit, code) links, in one UPDATE (the
    code put in upper case by the database, as the comparison does). Dossiers updated."""
    links = {(unit_id, code) for unit_id, code in links if unit_id and code}
    if not links:
        return 0
    which = Q()
    for unit_id, code in sorted(links):
        which |= Q(unit_id=unit_id, code=Upper(Value(code)))
    return Dossier.objects.filter(which).update(has_pakn=pakn_exists())
