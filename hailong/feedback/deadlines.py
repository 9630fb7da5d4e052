"""Legal deadlines of cases, from the editable `DeadlineRule` rows and the working calendar.

Counting follows the Civil Code 2015 (art. 147–148): the day of the event (receipt,
acceptance) is not counted; a period in calendar days whose last day is a weekend or holiday
ends on the next working day. Working days skip weekends and the holidays of
`core.calendar.WorkingCalendar` (Tết follows the lunar calendar; the administrator maintains
exceptions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hailong.core.calendar import WorkingCalendar
from hailong.feedback.models import (
    Case,
    CaseStatus,
    ComplaintInstance,
    CountedFrom,
    DayCounting,
    DeadlineRule,
    DeadlineStage,
)

# The rules installed with the product (DOMAIN.md §4). The administrator edits them, and adds
# rows when the law changes. (kind, stage, instance, counted from, counting, days, complex,
# remote, remote complex, legal basis, in force from); instance "" is every case of the kind.
DEFAULT_RULES = [
    (
        "complaint",
        "accept",
        "",
        "received",
        "calendar",
        10,
        None,
        None,
        None,
        "Luật Khiếu nại 2011, Điều 27: thụ lý trong 10 ngày kể từ ngày nhận được khiếu nại",
        date(2012, 7, 1),
    ),
    (
        "complaint",
        "answer",
        "first",
        "accepted",
        "calendar",
        30,
        45,
        45,
        60,
        "Luật Khiếu nại 2011, Điều 28: giải quyết lần đầu không quá 30 ngày kể từ ngày thụ lý; "
        "phức tạp 45 ngày; vùng sâu, vùng xa 45 ngày, phức tạp 60 ngày",
        date(2012, 7, 1),
    ),
    (
        "pakn",
        "answer",
        "",
        "received",
        "working",
        10,
        None,
        None,
        None,
        "Luật Tiếp công dân 2013, Điều 28: trả lời trong 10 ngày làm việc",
        date(2014, 7, 1),
    ),
    (
        "pakn",
        "transfer",
        "",
        "received",
        "working",
        5,
        None,
        None,
        None,
        "Nghị định 20/2008/NĐ-CP, Điều 9: chuyển phản ánh, kiến nghị không thuộc thẩm quyền "
        "trong 05 ngày làm việc",
        date(2008, 4, 1),
    ),
    (
        "denunciation",
        "accept",
        "",
        "received",
        "working",
        7,
        None,
        None,
        None,
        "Luật Tố cáo 2018, Điều 29: quyết định thụ lý trong 07 ngày làm việc",
        date(2019, 1, 1),
    ),
    (
        "denunciation",
        "answer",
        "",
        "accepted",
        "calendar",
        30,
        60,
        None,
        None,
        "Luật Tố cáo 2018, Điều 30: giải quyết không quá 30 ngày kể từ ngày thụ lý; "
        "phức tạp gia hạn một lần không quá 30 ngày",
        date(2019, 1, 1),
    ),
]
# Second instance (giải quyết lần hai): accepted in the same 10 days (art. 36), decided in
# longer periods (art. 37).
DEFAULT_RULES.append(
    (
        "complaint",
        "answer",
        "second",
        "accepted",
        "calendar",
        45,
        60,
        60,
        70,
        "Luật Khiếu nại 2011, Điều 37: giải quyết lần hai không quá 45 ngày kể từ ngày thụ lý; "
        "phức tạp 60 ngày; vùng sâu, vùng xa 60 ngày, phức tạp 70 ngày",
        date(2012, 7, 1),
    )
)
# Not yet confirmed against the official text (DOMAIN.md §4): installed switched off, for the
# administrator to check and switch on.
PENDING_RULES = [
    (
        "complaint",
        "accept",
        "",
        "received",
        "working",
        7,
        None,
        None,
        None,
        "Nghị định 155/2026/NĐ-CP: thụ lý khiếu nại trong 07 ngày làm việc "
        "(cần đối chiếu văn bản trước khi áp dụng)",
        date(2026, 7, 1),
    ),
]


def install_default_rules(model=DeadlineRule) -> None:
    """Add the rules the product ships with, where missing (the migrations and test set-up).
    Before migration 0008 the model has no instance: the first-instance rules are installed
    for every case, and 0008 marks them first instance and adds the second."""
    has_instance = any(f.name == "instance" for f in model._meta.get_fields())
    rows = [(*rule, True) for rule in DEFAULT_RULES]
    rows += [(*rule, False) for rule in PENDING_RULES]
    for (
        kind,
        stage,
        instance,
        counted_from,
        counting,
        days,
        cx,
        remote,
        remote_cx,
        basis,
        valid,
        on,
    ) in rows:
        key = {"kind": kind, "stage": stage, "valid_from": valid}
        if has_instance:
            key["instance"] = instance
        elif instance == ComplaintInstance.SECOND:
            continue
        model.objects.get_or_create(
            **key,
            defaults={
                "counted_from": counted_from,
                "counting": counting,
                "days": days,
                "complex_days": cx,
                "remote_days": remote,
                "remote_complex_days": remote_cx,
                "legal_basis": basis,
                "is_active": on,
            },
        )


def period_end(start: date, days: int, counting: str, calendar: WorkingCalendar) -> date:
    """The last day of a period of `days` counted from `start` (start itself not counted)."""
    if counting == DayCounting.WORKING:
        return calendar.add_working_days(start, days)
    return calendar.add_calendar_days(start, days)


def rules_for(
    kind: str, on_day: date, instance: str = ComplaintInstance.FIRST
) -> dict[str, DeadlineRule]:
    """The active rule of each stage that applies to a case of `kind` (and, for a complaint,
    `instance`) received on `on_day`: the latest in force, and of two in force from the same
    day the one written for the instance."""
    rules: dict[str, DeadlineRule] = {}
    found = DeadlineRule.objects.filter(
        kind=kind, is_active=True, valid_from__lte=on_day, instance__in=("", instance)
    )
    for rule in sorted(found, key=lambda r: (r.valid_from, r.instance != ""), reverse=True):
        rules.setdefault(rule.stage, rule)
    return dict(sorted(rules.items()))


@dataclass(frozen=True)
class Deadlines:
    accept_due_on: date | None
    answer_due_on: date | None
    transfer_due_on: date | None


def deadlines_for(
    *,
    kind: str,
    received_on: date,
    accepted_on: date | None,
    is_complex: bool,
    is_remote: bool,
    calendar: WorkingCalendar | None = None,
    rules: dict[str, DeadlineRule] | None = None,
) -> Deadlines:
    """Every deadline of a case, from its rules. A stage counted from acceptance has no date
    until the case is accepted."""
    calendar = calendar or WorkingCalendar.load()
    rules = rules if rules is not None else rules_for(kind, received_on)

    def end(stage: str) -> date | None:
        rule = rules.get(stage)
        if rule is None:
            return None
        start = received_on if rule.counted_from == CountedFrom.RECEIVED else accepted_on
        if start is None:
            return None
        days = rule.days_for(is_complex=is_complex, is_remote=is_remote)
        return period_end(start, days, rule.counting, calendar)

    return Deadlines(
        accept_due_on=end(DeadlineStage.ACCEPT),
        answer_due_on=end(DeadlineStage.ANSWER),
        transfer_due_on=end(DeadlineStage.TRANSFER),
    )


def current_due(case: Case) -> date | None:
    """The deadline running now: acceptance while received, then the answer."""
    if case.status == CaseStatus.RECEIVED:
        return case.accept_due_on or case.answer_due_on
    if case.status in (CaseStatus.ACCEPTED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS):
        return case.answer_due_on
    return None


def apply_deadlines(case: Case, calendar: WorkingCalendar | None = None) -> None:
    """Recompute and set the case's deadline fields (not saved)."""
    # A reopened case counts from the day its period restarted (with the rules of the day it
    # was first received).
    restart = case.period_start_on
    accepted_on = case.accepted_on
    if restart and accepted_on:
        accepted_on = max(accepted_on, restart)
    found = deadlines_for(
        kind=case.kind,
        received_on=restart or case.received_on,
        accepted_on=accepted_on,
        is_complex=case.is_complex,
        is_remote=case.is_remote,
        calendar=calendar,
        rules=rules_for(case.kind, case.received_on, case.instance),
    )
    case.accept_due_on = found.accept_due_on
    if restart and case.accepted_on and case.accepted_on < restart:
        # Reopened after its acceptance: the acceptance is done and not run again, so its
        # deadline stays the one counted from the receipt (else "Hạn thụ lý" would fall after
        # "Ngày thụ lý", and an acceptance made late would turn on time).
        case.accept_due_on = deadlines_for(
            kind=case.kind,
            received_on=case.received_on,
            accepted_on=case.accepted_on,
            is_complex=case.is_complex,
            is_remote=case.is_remote,
            calendar=calendar,
            rules=rules_for(case.kind, case.received_on, case.instance),
        ).accept_due_on
    case.answer_due_on = found.answer_due_on
    case.transfer_due_on = found.transfer_due_on
    case.due_on = current_due(case)


def transfer_days_late(
    *,
    transfer_due_on: date | None,
    transferred_on: date | None,
    calendar: WorkingCalendar | None = None,
) -> int:
    """Working days a transfer was sent after its deadline (NĐ 20/2008 art. 9: 5 working days),
    0 when on time or not transferred. The rule `case_transfer` records (`missed_deadline`), the
    case page shows and the statistics count (`statistics`: transferred_on > transfer_due_on).
    A day late counts at least one, even when only a weekend or holiday has passed."""
    if transfer_due_on is None or transferred_on is None or transferred_on <= transfer_due_on:
        return 0
    calendar = calendar or WorkingCalendar.load()
    return max(calendar.working_days_between(transfer_due_on, transferred_on), 1)


def due_soon_limit(today: date, calendar: WorkingCalendar | None = None, days: int = 3) -> date:
    """Cases due on or before this day are "due in `days` working days"."""
    return (calendar or WorkingCalendar.load()).add_working_days(today, days)
