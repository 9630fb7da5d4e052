"""Import the procedures catalogue from a CSV or XLSX file (the same checks as the staff page)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hailong.core.imports import print_problems
from hailong.organisation.catalogue_import import catalogue_check, catalogue_import


class Command(BaseCommand):
    help = "Import administrative procedures (code, name, field, units, time limit) from CSV/XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file only.")
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="Import the good rows even when some rows have problems.",
        )

    def handle(self, *args, file: Path, dry_run=False, skip_bad_rows=False, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")

        def opened():
            return file.open("rb")

        report = catalogue_check(opened, filename=file.name)
        if report.file_error:
            raise CommandError(report.file_error)
        print_problems(self.stderr, report.problems)
        bad = report.problems.rows
        self.stdout.write(f"{report.good} good rows, {bad} rows with problems")
        if dry_run:
            return
        if bad and not skip_bad_rows:
            raise CommandError("Nothing imported: fix the rows above or use --skip-bad-rows.")
        result = catalogue_import(opened, filename=file.name, actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['created']} created, {result['updated']} updated, "
                f"{result['unchanged']} unchanged"
            )
        )
