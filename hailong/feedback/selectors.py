"""Reads of cases, always scoped to what the person asking may see.

A case is visible to a person whose scope (`units_visible_to`) holds the unit handling it or
the unit it is about. Denunciations (tố cáo) are the exception: only people granted
`feedback.handle_denunciation` explicitly see them, through the handling unit or because the
desk put them in their charge (never one about their own unit or above); the denouncer's
identity is hidden from anyone who works in the unit concerned.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from hailong.core.phones import canonical_phone, is_vietnamese_phone
from hailong.core.text import fold_for_search
from hailong.feedback.deadlines import due_soon_limit
from hailong.feedback.models import OPEN_STATUSES, Case, CaseKind, CaseStatus
from hailong.organisation.models import Role, Staff, Unit
from hailong.organisation.scope import Scope, as_scope
from hailong.organisation.selectors import ancestor_ids, units_visible_to

DENUNCIATION_PERMISSION = ("feedback", "handle_denunciation")
ASSIGNEE_ORDER = [Role.OFFICER, Role.CLERK, Role.SECRETARY, Role.LEADER, Role.ADMIN]


def can_handle_denunciations(staff: Staff) -> bool:
    """Granted explicitly to the person or one of their groups; a superuser is not enough
    (Django gives superusers every permission; the law wants a deliberate grant)."""
    if not staff.is_authenticated or not staff.is_active:
        return False
    cached = getattr(staff, "_can_handle_denunciations", None)
    if cached is None:
        app_label, codename = DENUNCIATION_PERMISSION
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        cached = permission is not None and (
            staff.user_permissions.filter(pk=permission.pk).exists()
            or staff.groups.filter(permissions=permission).exists()
        )
        staff._can_handle_denunciations = cached
    return cached


def cases_visible_to(who: Scope | Staff) -> QuerySet[Case]:
    """Cases handled by or about a unit of the scope; denunciations only for a person granted
    them (never for an API key's scope): handled by a unit of their scope, or assigned to them.
    The Chủ tịch UBND huyện handles a denunciation about a commune's officials and usually has
    Thanh tra huyện verify it (Luật Tố cáo 2018 art. 13, 31): the case stays the district's,
    and the inspector it is given to must see it. Never one about their own unit or above."""
    units = units_visible_to(who)
    visible = (Q(handling_unit__in=units) | Q(unit__in=units)) & ~Q(kind=CaseKind.DENUNCIATION)
    if isinstance(who, Staff) and can_handle_denunciations(who):
        assigned = Q(assignee=who) & ~Q(unit_id__in=as_scope(who).assigned_and_above_ids)
        visible |= Q(kind=CaseKind.DENUNCIATION) & (Q(handling_unit__in=units) | assigned)
    return Case.objects.filter(visible)


def audit_entries_hidden_from(viewer) -> Q:
    """The audit entries of the denunciations this person may not see (registered with
    core.audit in apps.py): the same rule as the case pages, so to an administrator not granted
    denunciations a tố cáo's entries are absent, not merely blanked, and nothing shows that one
    exists. Entries are matched by their target, so rows written before this rule are hidden
    too; a "received case" row that says it was a denunciation stays hidden should its case be
    gone."""
    visible = cases_visible_to(viewer).filter(kind=CaseKind.DENUNCIATION).values("pk")
    hidden = (
        Case.objects.filter(kind=CaseKind.DENUNCIATION)
        .exclude(pk__in=visible)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    of_hidden_case = Q(target_type=ContentType.objects.get_for_model(Case), target_id__in=hidden)
    if isinstance(viewer, Staff) and can_handle_denunciations(viewer):
        return of_hidden_case
    return of_hidden_case | Q(action="case.create", after__kind=CaseKind.DENUNCIATION)


def cases_actionable_by(staff: Staff) -> QuerySet[Case]:
    """The visible cases this person may act on: handled by a unit of their scope, or put in
    their charge. The unit a case is about may follow it but not answer for another unit."""
    units = units_visible_to(staff)
    cases = cases_visible_to(staff).filter(Q(handling_unit__in=units) | Q(assignee=staff))
    # A denunciation about one's own unit (or a unit above it) is never one's to handle.
    own_and_above = as_scope(staff).assigned_and_above_ids
    if own_and_above:
        cases = cases.exclude(kind=CaseKind.DENUNCIATION, unit_id__in=own_and_above)
    return cases


def follow_up_case_of(response) -> Case | None:
    """The case the closed loop (feedback.loop, a hook of the responses' write path) opened
    for an unsatisfied survey response, found by its link to the response."""
    return Case.objects.filter(source_response=response).first()


def case_visible_to(staff: Staff, code: str) -> Case | None:
    return (
        cases_visible_to(staff)
        .select_related("unit", "handling_unit", "assignee", "service")
        .filter(code=code.upper())
        .first()
    )


def identity_hidden_from(staff: Staff, case: Case) -> bool:
    """True when the person works in the unit a denunciation is about (or below it)."""
    if case.kind != CaseKind.DENUNCIATION:
        return False
    return as_scope(staff).works_in(case.unit)


LIST_VIEWS = ("mine", "due_soon", "overdue", "unassigned", "unsatisfied", "open", "all")


def _view_filter(view: str, *, staff: Staff, today: date, soon: date) -> Q:
    open_ = Q(status__in=OPEN_STATUSES)
    return {
        "mine": open_ & Q(assignee=staff),
        "due_soon": open_ & Q(due_on__gte=today, due_on__lte=soon),
        "overdue": open_ & Q(due_on__lt=today),
        # Waiting for the desk: open with nobody in charge (not yet accepted, or accepted or
        # given to a unit without an officer), or in the charge of someone who left.
        "unassigned": open_ & (Q(assignee__isnull=True) | Q(assignee__is_active=False)),
        # Answered, and the citizen said "not satisfied": the desk reopens or closes it.
        "unsatisfied": Q(status=CaseStatus.ANSWERED, rating=1, rated_at__gte=F("answered_at")),
        "open": open_,
        "all": Q(),
    }[view]


def kinds_visible_to(staff: Staff) -> list[tuple[str, str]]:
    """The kinds a person may filter by: denunciations only for people granted them."""
    return [
        (value, label)
        for value, label in CaseKind.choices
        if value != CaseKind.DENUNCIATION or can_handle_denunciations(staff)
    ]


def case_search(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """Code, subject, name or phone, with or without accents."""

    folded = fold_for_search(query)
    digits = "".join(ch for ch in query if ch.isdigit())
    condition = Q(code__icontains=query.replace("-", "").replace(" ", "").upper()) | Q(
        search_text__contains=folded
    )
    if len(digits) >= 4:
        condition |= Q(search_text__contains=digits)
    if is_vietnamese_phone(query):
        # Phones are stored in their national form ("0912345678"): "+84 912.345.678" finds it.
        condition |= Q(search_text__contains=canonical_phone(query))
    return cases.filter(condition)


def case_list(staff: Staff, *, view: str, today: date) -> QuerySet[Case]:
    cases = cases_visible_to(staff).select_related("unit", "handling_unit", "assignee", "service")
    if view == "all":
        return cases.order_by("-received_at", "-id")
    soon = due_soon_limit(today)
    # Working lists: what is due first comes first; cases without a deadline last.
    return cases.filter(_view_filter(view, staff=staff, today=today, soon=soon)).order_by(
        F("due_on").asc(nulls_last=True), "-received_at"
    )


def case_list_counts(staff: Staff, *, today: date) -> dict[str, int]:
    """How many cases each list holds, in one query."""
    soon = due_soon_limit(today)
    return cases_visible_to(staff).aggregate(
        **{
            view: Count("pk", filter=_view_filter(view, staff=staff, today=today, soon=soon))
            for view in LIST_VIEWS
        }
    )


def officers_for_unit(unit: Unit, *, case: Case | None = None) -> QuerySet[Staff]:
    """Active staff assigned to `unit` or a unit inside it: the people a case there may be
    assigned to. Not those whose scope reaches it from above (the secretary, leaders, the
    administrator, the desk of the district): they oversee the unit's cases, they do not
    handle them. A denunciation only to people granted denunciations who do not work in the
    unit it is about, whose scope includes the unit or who work under the handling one (the
    head of the district has its inspectorate verify it, Luật Tố cáo 2018 art. 31), the case
    staying with the unit."""

    people = Staff.objects.filter(is_active=True, units__path__startswith=unit.path)
    if case is not None and case.kind == CaseKind.DENUNCIATION:
        # Unchanged for denunciations: the granted people whose scope includes the unit (the
        # provincial inspectorate) as well as those below it.
        people = Staff.objects.filter(
            Q(units__in=ancestor_ids(unit)) | Q(units__path__startswith=unit.path),
            is_active=True,
        )
        app_label, codename = DENUNCIATION_PERMISSION
        granted = Q(
            user_permissions__codename=codename,
            user_permissions__content_type__app_label=app_label,
        ) | Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        concerned = Unit.objects.filter(path__startswith=case.unit.path)
        people = people.filter(granted).exclude(units__in=concerned)
    # The unit's own officers first, then the desk, the secretary, leaders, administrators.
    order = SqlCase(
        *(When(role=role, then=Value(n)) for n, role in enumerate(ASSIGNEE_ORDER)),
        default=Value(len(ASSIGNEE_ORDER)),
        output_field=IntegerField(),
    )
    return people.distinct().annotate(role_order=order).order_by("role_order", "full_name")
