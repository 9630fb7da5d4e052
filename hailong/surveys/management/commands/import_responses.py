"""Import survey results from a CSV/XLSX file on the command line, with the same checks as the
staff page: the file is read row by row, the first bad rows are listed and the others counted by
kind of problem; the good rows are stored in one transaction."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hailong.core.imports import print_problems
from hailong.surveys.file_import import import_check, import_run
from hailong.surveys.models import Campaign, QuestionnaireVersion


def _bar(stream):
    def progress(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        stream.flush()
        if done >= total:
            stream.write("\n")

    return progress


class Command(BaseCommand):
    help = "Import survey responses (wide format: one row per response) from CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--questionnaire",
            required=True,
            help="Questionnaire code, e.g. sipas (its latest published version).",
        )
        parser.add_argument("--campaign", type=int, help="Campaign id the responses belong to.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file only.")
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="Import the good rows even when some rows have problems.",
        )

    def handle(
        self,
        *args,
        file: Path,
        questionnaire: str,
        campaign=None,
        dry_run=False,
        skip_bad_rows=False,
        **options,
    ):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        version = (
            QuestionnaireVersion.objects.filter(
                questionnaire__code=questionnaire, status="published"
            )
            .order_by("-number")
            .first()
        )
        if version is None:
            raise CommandError(f"No published questionnaire with code {questionnaire!r}")
        chosen = None
        if campaign is not None:
            chosen = Campaign.objects.filter(pk=campaign).first()
            if chosen is None:
                raise CommandError(f"No campaign {campaign}")
            version = chosen.version
        # A progress bar on a terminal (or with -v 2), not in logs and pipes.
        show_bar = sys.stderr.isatty() or options.get("verbosity", 1) > 1
        progress = _bar(sys.stderr) if show_bar else None

        def opened():
            return file.open("rb")

        report = import_check(
            data=opened,
            filename=file.name,
            version=version,
            campaign=chosen,
            actor=None,
            progress=progress,
        )
        if report.file_error:
            raise CommandError(report.file_error)
        print_problems(self.stderr, report.problems)
        bad = report.problems.rows
        already = f", {report.already} already imported (skipped)" if report.already else ""
        self.stdout.write(f"{report.good} good rows{already}, {bad} rows with problems")
        if dry_run:
            return
        if bad and not skip_bad_rows:
            raise CommandError("Nothing imported: fix the rows above or use --skip-bad-rows.")
        result = import_run(
            data=opened,
            filename=file.name,
            version=version,
            campaign=chosen,
            actor=None,
            progress=progress,
            total=report.total,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.imported} imported, "
                f"{result.duplicates} already there (not imported again)"
            )
        )
