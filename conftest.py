"""Fixed personas and a small organisation, shared by every test (healthchecks' habit).

Tree:  Tỉnh Thử nghiệm (ROOT)
       ├── Phòng A (UA)  ── Tổ A1 (UA1)
       └── Phòng B (UB)
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hailong.organisation.models import (
    Role,
    Service,
    ServiceField,
    ServicePoint,
    Staff,
    Unit,
)
from hailong.organisation.services import unit_save
from hailong.surveys.models import Campaign, QuestionnaireVersion

# HAILONG_TEST_CLOCK_SHIFT_DAYS / HAILONG_TEST_CLOCK move the clock for the whole run.
pytest_plugins = ["tests.clock"]

PASSWORD = "mat-khau-thu-nghiem-2026"  # noqa: S105 (test fixtures only)
PROBE = "tests.probe.hook.record"


@pytest.fixture(autouse=True)
def _answers_only_through_the_write_path(request, settings):
    """Every test: the write path's hooks are told of exactly the answers in the database at
    the end (tests/write_path_probe.py). A path that writes answers around it fails here."""
    from django.db import connection

    from tests.probe.hook import refuse_writes_around_the_write_path, unexplained_answers

    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if not uses_db:
        yield
        return
    # Set up the database inside this fixture, so that it is torn down after the check.
    request.getfixturevalue(
        "transactional_db" if "transactional_db" in request.fixturenames else "db"
    )
    settings.HAILONG_RESPONSE_HOOKS = [*settings.HAILONG_RESPONSE_HOOKS, PROBE]
    # This thread's SQL (test client requests included; a live server's thread has its own
    # connection, covered by the ledger alone).
    with connection.execute_wrapper(refuse_writes_around_the_write_path):
        yield
    assert _settled(unexplained_answers) == {}, (
        "answers were written without the write path's hooks"
    )


def _settled(check):
    """Run a check of the database once a live server's thread lets go of it: in a browser
    test a tablet may still be sending its queue when the test ends, and the shared in-memory
    SQLite database then says "table is locked" for a moment."""
    import time

    from django.db import OperationalError

    for _attempt in range(50):
        try:
            return check()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.1)
    return check()


def make_unit(code: str, name: str, kind: str = "department", parent: Unit | None = None) -> Unit:
    return unit_save(unit=Unit(code=code, name=name, kind=kind, parent=parent), actor=None)


def make_staff(username: str, role: str, units: list[Unit], full_name: str = "") -> Staff:
    person = Staff(
        username=username,
        full_name=full_name or username,
        role=role,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    person.set_password(PASSWORD)
    person.save()
    person.units.set(units)
    return person


@pytest.fixture(autouse=True)
def _vietnamese_between_tests():
    """Every test starts in Vietnamese. The test client runs the locale middleware in the
    test's own thread, and its translation.activate() (a request with the English cookie)
    outlives the request there; a server activates the language again for every request, but
    a test calling a service directly next would speak English (test_import_limits.py then
    test_write_path.py did)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Job progress and cancel flags live in the cache, keyed by job id; ids come back after a
    test's rollback, so a flag must not outlive its test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    """The units, a procedure and a service point for each of A and B."""
    return make_org()


def make_org():
    """The `org` fixture's objects (also built once per module by tests/security)."""
    root = make_unit("ROOT", "Tỉnh Thử nghiệm", "province")
    unit_a = make_unit("UA", "Phòng Tư pháp A", parent=root)
    unit_a1 = make_unit("UA1", "Tổ hộ tịch A1", parent=unit_a)
    unit_b = make_unit("UB", "Phòng Đất đai B", parent=root)
    field = ServiceField.objects.create(name="Hộ tịch", code="ho-tich")
    land = ServiceField.objects.create(name="Đất đai", code="dat-dai")
    service_a = Service.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field=field, time_limit_days=0
    )
    service_a.units.set([unit_a1])
    service_b = Service.objects.create(
        code="1.012783", name="Đăng ký biến động đất đai B", field=land, time_limit_days=10
    )
    service_b.units.set([unit_b])
    point_a = ServicePoint.objects.create(unit=unit_a, code="qa", name="Quầy A", kind="counter")
    point_b = ServicePoint.objects.create(unit=unit_b, code="qb", name="Quầy B", kind="counter")
    return type(
        "Org",
        (),
        {
            "root": root,
            "unit_a": unit_a,
            "unit_a1": unit_a1,
            "unit_b": unit_b,
            "service_a": service_a,
            "service_b": service_b,
            "point_a": point_a,
            "point_b": point_b,
        },
    )


@pytest.fixture
def admin_user(org):
    return make_staff("quantri", Role.ADMIN, [org.root], "Quản Trị Viên")


@pytest.fixture
def secretary(org):
    return make_staff("thuky", Role.SECRETARY, [org.root], "Thư Ký ISO")


@pytest.fixture
def leader(org):
    return make_staff("lanhdao", Role.LEADER, [org.root], "Lãnh Đạo")


@pytest.fixture
def clerk_a(org):
    return make_staff("tiepnhan_a", Role.CLERK, [org.unit_a], "Tiếp Nhận A")


@pytest.fixture
def officer_a(org):
    return make_staff("canbo_a", Role.OFFICER, [org.unit_a], "Cán Bộ A")


@pytest.fixture
def officer_b(org):
    return make_staff("canbo_b", Role.OFFICER, [org.unit_b], "Cán Bộ B")


@pytest.fixture
def client_for(client):
    """client_for(person) -> a test client signed in as that person (Vietnamese UI)."""

    def sign_in(person: Staff):
        client.force_login(person)
        return client

    return sign_in


# Surveys: the built-in questionnaires (installed by a migration) and an open campaign.


@pytest.fixture
def builtin_questionnaires(db):
    """The built-in questionnaires. A migration installs them; transactional (browser) tests
    empty the database between tests, so put them back when missing."""
    from django.utils import timezone

    from hailong.surveys import models
    from hailong.surveys.files.questionnaire_json import ModelSet, install_builtin

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


@pytest.fixture
def sipas(builtin_questionnaires):
    return QuestionnaireVersion.objects.get(questionnaire__code="sipas", number=1)


@pytest.fixture
def nhanh(builtin_questionnaires):
    return QuestionnaireVersion.objects.get(questionnaire__code="nhanh", number=1)


@pytest.fixture
def campaign(org, sipas):
    """An open campaign around today (whatever day the suite runs on, see tests/clock.py)."""
    today = timezone.localdate()
    c = Campaign.objects.create(
        name="Khảo sát thử nghiệm",
        version=sipas,
        starts_on=today - timedelta(days=180),
        ends_on=today + timedelta(days=180),
        channels=["web", "kiosk", "paper", "import", "api"],
        target_responses=100,
        status="open",
    )
    c.units.set([org.root])
    return c


@pytest.fixture
def quick_campaign(org, nhanh):
    """An open campaign of the quick questionnaire (three faces and reasons) for the web form
    and the kiosk, around today."""
    today = timezone.localdate()
    c = Campaign.objects.create(
        name="Đánh giá nhanh tại quầy",
        version=nhanh,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        channels=["web", "kiosk"],
        status="open",
    )
    c.units.set([org.root])
    return c


def sipas_answers(score: int = 4) -> dict:
    codes = [
        f"{e}{n}"
        for e, k in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
        for n in range(1, k + 1)
    ]
    answers = {code: str(score) for code in codes}
    answers["PA3"] = "0"  # không áp dụng
    answers.update(
        {
            "HL": str(score),
            "MM": ["CC", "TT"],
            "YK": "Cán bộ nhiệt tình.",
            "TUOI": "3",
            "GIOI": "NU",
            "NGHE": "NONG",
        }
    )
    return answers
