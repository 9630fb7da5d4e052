"""Load the demo organisation: HD.07's 15 units, a procedures catalogue, counters and kiosks,
and one account per role. Idempotent: running it again adds what is missing and changes
nothing else (passwords included)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hailong.feedback.demo import load_demo_cases
from hailong.organisation import demo as organisation_demo
from hailong.organisation.catalogue_import import catalogue_check, catalogue_import
from hailong.organisation.demo.tree import (
    POINT_FIELDS,
    SERVICE_POINTS,
    STAFF,
    demo_units_ensure,
)
from hailong.organisation.models import Role, Service, ServicePoint, Staff, Unit
from hailong.surveys.demo import load_demo_customers, load_demo_dossiers, load_demo_surveys

DEMO_DIR = Path(organisation_demo.__file__).resolve().parent


def demo_password_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-password.txt"


def demo_password() -> str:
    """DEMO_PASSWORD from the environment, or one generated on this machine and kept in var/."""
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    path = demo_password_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"hl-{secrets.token_urlsafe(9)}\n")
        path.chmod(0o600)
    return path.read_text().strip()


class Command(BaseCommand):
    help = "Load the demo organisation, procedures, service points and one account per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set every demo account's password to the demo password again.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo data even though DEBUG is off.",
        )

    def handle(self, *args, reset_passwords=False, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off (use --allow-production)."
            )
        password = demo_password()
        with transaction.atomic():
            units = demo_units_ensure()
            catalogue = self._catalogue()
            points = self._points(units)
            created_staff = self._staff(units, password, reset_passwords)
            surveys = load_demo_surveys(
                actor=Staff.objects.get(username="quantri"), stdout=self.stdout
            )
            surveys["dossiers"] = load_demo_dossiers()
            load_demo_customers()
            cases = load_demo_cases()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {len(units)} units, {catalogue} procedures, {points} service points, "
                f"{len(STAFF)} accounts ({created_staff} new), {cases} feedback and complaint "
                "cases."
            )
        )
        self.stdout.write(
            "Demo accounts (password below): "
            + ", ".join(f"{username} ({role})" for username, _n, role, _t, _u in STAFF)
        )
        self.stdout.write(
            f"Demo survey responses added: {surveys['responses']}; dossiers: {surveys['dossiers']}."
        )
        if surveys["kiosk_url"]:
            kiosk_file = Path(settings.VAR_DIR) / "demo-kiosk-url.txt"
            kiosk_file.write_text(surveys["kiosk_url"] + "\n")
            kiosk_file.chmod(0o600)
        kiosk_file = Path(settings.VAR_DIR) / "demo-kiosk-url.txt"
        if kiosk_file.exists():
            self.stdout.write(
                # The address `make run` serves (its PORT), not a fixed 8000.
                "Kiosk tablet demo: "
                f"{settings.HAILONG_PUBLIC_URL.rstrip('/')}{kiosk_file.read_text().strip()}"
            )
        self.stdout.write(f"Demo password: {password}")

    def _catalogue(self) -> int:
        data = (DEMO_DIR / "services.csv").read_bytes()
        report = catalogue_check(data, filename="services.csv")
        if report.file_error or report.problems.rows:
            raise CommandError(
                f"Demo catalogue is invalid: {report.file_error or report.problems.first[:3]}"
            )
        catalogue_import(data, filename="services.csv", actor=None)
        return report.good

    def _points(self, units: dict[str, Unit]) -> int:
        for code, unit_code, name, kind, location in SERVICE_POINTS:
            point, created = ServicePoint.objects.get_or_create(
                code=code.lower(),
                defaults={
                    "unit": units[unit_code],
                    "name": name,
                    "kind": kind,
                    "location": location,
                },
            )
            if created and code in POINT_FIELDS:
                point.services.set(Service.objects.filter(field__name__in=POINT_FIELDS[code]))
        return len(SERVICE_POINTS)

    def _staff(self, units: dict[str, Unit], password: str, reset: bool) -> int:
        created = 0
        for username, full_name, role, title, scope in STAFF:
            person = Staff.objects.filter(username=username).first()
            if person is None:
                person = Staff(
                    username=username,
                    full_name=full_name,
                    role=role,
                    title=title,
                    is_staff=role == Role.ADMIN,
                    is_superuser=role == Role.ADMIN,
                )
                person.set_password(password)
                person.save()
                person.units.set([units[c] for c in scope])
                created += 1
            elif reset:
                person.set_password(password)
                person.save(update_fields=["password"])
        return created
