"""Run background jobs. `make run` starts one next to the web server; in production run one
or more per host under systemd (they share the queue safely)."""

import time

from django.core.management.base import BaseCommand

from hailong.core.jobs import run_pending_jobs


class Command(BaseCommand):
    help = "Run queued background jobs (imports, report builds) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--sleep", type=float, default=1.0, help="Seconds to wait when the queue is empty."
        )

    def handle(self, *args, once=False, sleep=1.0, **options):
        self.stdout.write("Hài Lòng worker started")
        while True:
            ran = run_pending_jobs()
            if once:
                self.stdout.write(f"{ran} job(s) run")
                return
            if not ran:
                time.sleep(sleep)
