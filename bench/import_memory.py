"""Peak memory of the background worker for one file import (README, "Memory").

    .venv/bin/python bench/import_memory.py --make-csv var/bench-20mb.csv 99000
    .venv/bin/python bench/import_memory.py var/bench-20mb.csv [--import]

A throwaway database (a SQLite file in var/, or `test_<name>_bench` beside DATABASE_URL's) gets
a small organisation and the upload, stored as the web request stores it; then a fresh process
runs the queued check (and, with --import, confirms and runs the import) and prints its
ru_maxrss before and after, so the figure is the worker's alone. The database is dropped at the
end.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = [
    f"{e}{n}"
    for e, k in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
    for n in range(1, k + 1)
]
HEADER = ["submitted_at", "unit", "service", "channel", "dossier_code", *CRITERIA, "HL", "MM"]
WORDS = "cán bộ nhiệt tình hướng dẫn rõ ràng chờ lâu thủ tục nhanh gọn thái độ tốt".split()  # noqa: SIM905


def make_csv(path: Path, rows: int) -> None:
    """SIPAS results as an office exports them, with a 100-character comment each."""
    rng = random.Random(1)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*HEADER, "comment"])
        for n in range(rows):
            comment = " ".join(rng.choice(WORDS) for _ in range(20))[:100]
            writer.writerow(
                [
                    f"{1 + n % 28:02d}/03/2026 08:30",
                    rng.choice(["UA", "UA1", "UB"]),
                    "1.001193",
                    "",
                    f"HS-{n}",
                    *[str(rng.randint(1, 5)) for _ in CRITERIA],
                    str(rng.randint(1, 5)),
                    "CC;TT",
                    comment,
                ]
            )


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection

    test = connection.settings_dict["TEST"]
    if connection.vendor == "sqlite":
        test["NAME"] = str(ROOT / "var" / "bench-import.sqlite3")
    else:  # beside, not over, the test suite's database
        test["NAME"] = f"test_{connection.settings_dict['NAME']}_bench"
    return connection


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(path: Path) -> None:
    connection = django_setup()
    from django.utils import timezone

    from conftest import make_staff, make_unit
    from hailong.organisation.models import Role, Service, ServiceField
    from hailong.surveys import models
    from hailong.surveys.files.questionnaire_json import ModelSet, install_builtin
    from hailong.surveys.imports import response_import_start

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    install_builtin(
        ModelSet(
            models.Questionnaire,
            models.QuestionnaireVersion,
            models.Section,
            models.Item,
            models.Option,
        ),
        published_at=timezone.now(),
    )
    root = make_unit("ROOT", "Tỉnh", "province")
    unit_a = make_unit("UA", "Phòng A", parent=root)
    make_unit("UA1", "Tổ A1", parent=unit_a)
    make_unit("UB", "Phòng B", parent=root)
    field = ServiceField.objects.create(name="Hộ tịch", code="ho-tich")
    Service.objects.create(code="1.001193", name="Đăng ký khai sinh", field=field)
    secretary = make_staff("thuky", Role.SECRETARY, [root])
    sipas = models.QuestionnaireVersion.objects.get(questionnaire__code="sipas", number=1)
    response_import_start(
        data=path.read_bytes(), filename=path.name, version=sipas, campaign=None, actor=secretary
    )


def worker(do_import: bool) -> None:
    connection = django_setup()
    connection.settings_dict["NAME"] = connection.creation._get_test_db_name()
    # Everything the jobs use is loaded before the first figure.
    import hailong.core.xlsx
    import hailong.surveys.file_import  # noqa: F401
    from hailong.core.jobs import run_pending_jobs
    from hailong.surveys.imports import response_import_confirm
    from hailong.surveys.models import ResponseImport

    print(f"worker ready: {rss_mb():.0f} MB")
    started = time.monotonic()
    run_pending_jobs()
    upload = ResponseImport.objects.defer("content").get()
    print(
        f"check: {upload.get_status_display()}, {upload.total_rows} rows, {upload.good_rows} "
        f"good, {upload.error_count} with problems {upload.file_error[:80]!r}, "
        f"{time.monotonic() - started:.0f} s; peak {rss_mb():.0f} MB"
    )
    if do_import and upload.status == "checked":
        response_import_confirm(upload=upload, actor=upload.created_by)
        started = time.monotonic()
        run_pending_jobs()
        upload.refresh_from_db(fields=["status", "imported"])
        print(
            f"import: {upload.imported} responses, {time.monotonic() - started:.0f} s; "
            f"peak {rss_mb():.0f} MB"
        )


def teardown() -> None:
    connection = django_setup()
    name = connection.settings_dict["NAME"]
    # destroy_test_db drops the database the connection names, then names the old one again.
    connection.settings_dict["NAME"] = connection.creation._get_test_db_name()
    connection.creation.destroy_test_db(name, verbosity=0, keepdb=False)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--make-csv"]:
        make_csv(Path(argv[1]), int(argv[2]))
        return
    if argv[:1] in (["--setup"], ["--worker"], ["--teardown"]):
        {"--setup": lambda: setup(Path(argv[1])), "--teardown": teardown}.get(
            argv[0], lambda: worker("--import" in argv)
        )()
        return
    path = Path(argv[0]).resolve()
    print(f"{path.name}: {path.stat().st_size / 2**20:.1f} MB")
    me = [sys.executable, __file__]
    try:
        subprocess.run([*me, "--setup", str(path)], check=True)
        subprocess.run([*me, "--worker", *argv[1:]], check=True)
    finally:
        subprocess.run([*me, "--teardown"], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
