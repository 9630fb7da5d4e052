"""The daily reminder: to each person, their cases due within 3 working days and overdue.

Who is told: the officer in charge of a case; for a case nobody is in charge of (or whose
officer left), the desk (clerks) and the quality secretary whose scope holds its handling
unit. Denunciations go only to people who may see them (`cases_visible_to` decides, as
everywhere). If sending fails half-way, `case_reminders --force` sends the day again (to
everyone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from hailong.feedback.deadlines import due_soon_limit
from hailong.feedback.models import OPEN_STATUSES, Case, CaseKind, ReminderRun
from hailong.feedback.selectors import cases_actionable_by
from hailong.organisation.models import Role, Staff

# Who is told of cases nobody is in charge of: the desk and the quality secretary (not the
# administrator, who sees everything, nor leaders, who get the statistics).
DESK_ROLES = {Role.CLERK, Role.SECRETARY}


@dataclass
class Reminder:
    staff: Staff
    overdue: list[Case] = field(default_factory=list)
    due_soon: list[Case] = field(default_factory=list)


def reminders_for(today: date) -> list[Reminder]:
    soon = due_soon_limit(today)
    reminders = []
    people = Staff.objects.filter(is_active=True).order_by("username").prefetch_related("units")
    for person in people:
        cases = cases_actionable_by(person).filter(status__in=OPEN_STATUSES, due_on__lte=soon)
        if person.role in DESK_ROLES:
            # The desk answers for cases nobody (still working here) is in charge of.
            cases = cases.filter(
                Q(assignee=person) | Q(assignee__isnull=True) | Q(assignee__is_active=False)
            )
        else:
            # Officers: their own cases, and denunciations nobody holds yet (only the people
            # granted them see those, and the desk may not be among them).
            cases = cases.filter(
                Q(assignee=person) | Q(kind=CaseKind.DENUNCIATION, assignee__isnull=True)
            )
        cases = list(cases.order_by("due_on").select_related("unit"))
        if not cases:
            continue
        reminders.append(
            Reminder(
                staff=person,
                overdue=[c for c in cases if c.due_on < today],
                due_soon=[c for c in cases if c.due_on >= today],
            )
        )
    return reminders


def reminder_text(reminder: Reminder, base_url: str) -> str:
    lines = []
    for title, cases in (
        (_("Overdue"), reminder.overdue),
        (_("Due within 3 working days"), reminder.due_soon),
    ):
        if cases:
            lines.append(f"{title}:")
            lines += [
                f"- {c.code} ({c.due_on:%d/%m/%Y}) {c.title[:80]} – {base_url}/cases/{c.code}/"
                for c in cases
            ]
            lines.append("")
    return "\n".join(lines)


def send_reminders(*, today: date, base_url: str, force: bool = False) -> tuple[int, list[str]]:
    """Send the day's reminders once, whichever host's timer runs first. Returns (number of
    emails sent, log lines: one per person, saying who could not be told and why).

    The day counts as done only when an email went out: a day on which nothing could be sent
    (no addresses, the mail server down) is not claimed, so the next timer or a manual run
    tries again instead of answering "already sent"."""
    try:
        with transaction.atomic():
            run, _created = ReminderRun.objects.get_or_create(day=today)
            if not _created and not force:
                return 0, [f"Reminders for {today} were already sent at {run.started_at}."]
    except IntegrityError:
        return 0, [f"Reminders for {today} are being sent by another process."]
    sent, log = 0, []
    with translation.override("vi"):
        for reminder in reminders_for(today):
            body = reminder_text(reminder, base_url)
            line = (
                f"{reminder.staff.username}: {len(reminder.overdue)} overdue, "
                f"{len(reminder.due_soon)} due soon"
            )
            if not reminder.staff.email:
                log.append(f"{line} – NOT SENT: no email address (set one on the staff page)")
                continue
            subject = _("Cases: %(overdue)d overdue, %(soon)d due soon") % {
                "overdue": len(reminder.overdue),
                "soon": len(reminder.due_soon),
            }
            try:
                delivered = send_mail(subject, body, None, [reminder.staff.email])
            except Exception as exc:  # SMTP and socket errors: tell, and go on with the others
                log.append(f"{line} – NOT SENT to {reminder.staff.email}: {exc!r}")
                continue
            sent += delivered
            log.append(f"{line} – sent to {reminder.staff.email}")
    if sent:
        ReminderRun.objects.filter(pk=run.pk).update(sent=sent)
    else:
        ReminderRun.objects.filter(pk=run.pk).delete()
        log.append(f"No reminder email went out: {today} is not marked as sent.")
    return sent, log
