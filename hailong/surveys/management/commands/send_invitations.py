"""Send a campaign's invitations and, once, their reminders (run daily by cron/systemd)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hailong.surveys.invitations import invitations_send
from hailong.surveys.models import Campaign


class Command(BaseCommand):
    help = "Invite regular customers to open campaigns that have the invitation channel."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            required=True,
            help="The public address, e.g. https://hailong.example.gov.vn",
        )
        parser.add_argument("--campaign", type=int, help="Only this campaign.")
        parser.add_argument("--remind-after-days", type=int, default=7)

    def handle(self, *args, base_url, campaign=None, remind_after_days=7, **options):
        campaigns = Campaign.objects.filter(status="open")
        if campaign is not None:
            campaigns = campaigns.filter(pk=campaign)
        for chosen in campaigns:
            if "invitation" not in chosen.channels:
                continue
            try:
                result = invitations_send(
                    campaign=chosen,
                    actor=None,
                    base_url=base_url.rstrip("/"),
                    remind_after=timedelta(days=remind_after_days),
                )
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from exc
            self.stdout.write(
                f"{chosen.name}: {result.sent} sent, {result.reminded} reminded, "
                f"{result.unreachable} unreachable"
            )
