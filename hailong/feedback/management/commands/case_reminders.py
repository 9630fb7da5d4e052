"""Daily: email each officer and clerk what is due within 3 working days and what is overdue.

Run once a day from cron or a systemd timer, on any number of hosts: the day's run is claimed
by one row (feedback.ReminderRun), so people get one email. The email backend is Django's
EMAIL_BACKEND (console in development: the messages are printed)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from hailong.feedback.reminders import send_reminders
from hailong.feedback.services import local_today


class Command(BaseCommand):
    help = "Email each person their cases due within 3 working days and overdue."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Send again today.")

    def handle(self, *args, force=False, **options):
        sent, log = send_reminders(
            today=local_today(), base_url=settings.HAILONG_PUBLIC_URL.rstrip("/"), force=force
        )
        for line in log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"{sent} reminder emails sent."))
