"""Realistic survey data in bulk, for benchmarks and for trying the dashboard at scale
(`manage.py generate_data --responses N [--seed S]`).

Three years back from `today`: the demo organisation tree (HD.07's units), its procedures
catalogue widened to a few hundred procedures, a SIPAS campaign per year and a quick-rating
campaign over the whole span, open to every channel. Scores follow what a province sees: each
unit has its own level (some serve better), each element its own offset, a slow improvement
over the years and a dip around Tết (January–February: crowds, fewer staff). SIPAS criteria are
sometimes "không áp dụng" (often for the feedback element PA: most people never complained);
an unsatisfied respondent names what should improve first, an unhappy kiosk user their
reasons; some leave a comment from a list of sentences citizens write. About half the SIPAS
responses about a procedure name a registered dossier (a third as many more dossiers were never
answered about), and a case (phản ánh, kiến nghị, khiếu nại) arrives for every few hundred.

The responses are stored through the write path's bulk entry
(`hailong.surveys.services.bulk_load`), with the hooks, so the rollups are kept as for any
other response. Everything drawn comes from one `random.Random(seed)`: the same seed, size and
day give the same data.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction

from hailong.core.periods import LOCAL_TZ
from hailong.organisation import demo as organisation_demo
from hailong.organisation.catalogue_import import catalogue_import
from hailong.organisation.demo.tree import demo_units_ensure
from hailong.organisation.models import Service, Unit
from hailong.surveys.demo import BAD_COMMENTS, GOOD_COMMENTS
from hailong.surveys.models import Campaign, Dossier, QuestionnaireVersion, Response
from hailong.surveys.schema import AnswerRow, VersionSchema, schema_for
from hailong.surveys.services.bulk_load import Loadable, response_builder, responses_bulk_load

DAYS_OF_HISTORY = 3 * 365

# Comments as citizens write them, beside the demo's (hailong.surveys.demo).
MORE_GOOD = [
    "Công chức giải thích rõ ràng, tôi hiểu ngay cần chuẩn bị giấy tờ gì.",
    "Thời gian giải quyết nhanh hơn giấy hẹn, rất cảm ơn.",
    "Có hướng dẫn nộp hồ sơ qua Cổng dịch vụ công, tiện cho người ở xa.",
    "Nhân viên lịch sự, không gây phiền hà.",
    "Quy trình minh bạch, biết rõ hồ sơ đang ở bước nào.",
]
MORE_BAD = [
    "Hệ thống dịch vụ công trực tuyến hay bị lỗi, phải lên nộp trực tiếp.",
    "Không có chỗ gửi xe, phải để ngoài đường.",
    "Giấy hẹn ghi 5 ngày nhưng 10 ngày mới có kết quả.",
    "Số điện thoại đường dây nóng gọi không ai nghe máy.",
    "Cán bộ đi họp, phải quay lại ngày hôm sau.",
    "Biểu mẫu khó hiểu, nên có mẫu điền sẵn để tham khảo.",
]
POSITIVE = GOOD_COMMENTS + MORE_GOOD
NEGATIVE = BAD_COMMENTS + MORE_BAD

# Variants of the demo procedures that a province's catalogue also lists, so the catalogue
# reaches a few hundred procedures (issue 12: at least 300).
VARIANTS = [
    "trường hợp có yếu tố nước ngoài",
    "thực hiện liên thông",
    "nộp trực tuyến toàn trình",
    "cấp lại do mất, hỏng",
]

# (element, criteria) of the SIPAS form (hailong/surveys/builtin/sipas.json).
SIPAS_ELEMENTS = (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
SIPAS_CHANNELS = (["web", "paper", "import", "api", "invitation"], [30, 30, 20, 10, 10])
QUICK_CHANNELS = (["kiosk", "web"], [75, 25])
SIPAS_SHARE = 0.35  # the rest: the quick three-level rating at the counters
REASONS = ["CHO", "THAIDO", "HUONGDAN", "BOSUNG", "TREHAN", "COSO", "KHAC"]
PRIORITIES = ["TC", "TT", "CC", "KQ", "PA", "KHAC"]
RESPONSES_PER_CASE = 400


@dataclass
class Generated:
    """One response as drawn, before it is tied to database ids."""

    unit: str  # unit code
    service: str  # procedure code, "" for none
    channel: str
    questionnaire: str  # "sipas" | "nhanh"
    submitted_at: datetime
    answers: dict
    dossier: bool = False  # names a registered dossier


@dataclass
class World:
    """The codes the draws pick from, and each unit's quality."""

    units: list[str]
    weights: list[float]
    services: dict[str, list[str]]  # unit code → procedure codes it answers about
    quality: dict[str, float] = field(default_factory=dict)
    element_offset: dict[tuple[str, str], float] = field(default_factory=dict)


def world_for(units: list[str], services: dict[str, list[str]], *, seed: int) -> World:
    rng = random.Random(f"world:{seed}")  # noqa: S311 (test data)
    world = World(units=units, weights=[rng.uniform(0.3, 3.0) for _u in units], services=services)
    for unit in units:
        world.quality[unit] = rng.uniform(0.55, 0.9)
        for element, _n in SIPAS_ELEMENTS:
            world.element_offset[(unit, element)] = rng.uniform(-0.1, 0.06)
    return world


def _score(rng: random.Random, q: float) -> str:
    if rng.random() < q:
        return "5" if rng.random() < 0.45 else "4"
    return rng.choice("122333")


def _working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def draw(world: World, *, n: int, seed: int, today: date) -> Iterator[Generated]:
    """n responses over the working days of the three years before `today`, in time order."""
    rng = random.Random(seed)  # noqa: S311 (test data)
    first = today - timedelta(days=DAYS_OF_HISTORY)
    days = _working_days(first, today - timedelta(days=1))
    span = (days[-1] - days[0]).days or 1
    for i in range(n):
        day = days[i * len(days) // n]
        progress = (day - days[0]).days / span
        unit = rng.choices(world.units, world.weights)[0]
        # Slow improvement (+6 points over three years) and the dip around Tết.
        q = world.quality[unit] + 0.06 * progress - (0.08 if day.month in (1, 2) else 0)
        minutes = rng.choice((rng.randint(450, 690), rng.randint(810, 1020)))
        when = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LOCAL_TZ)
        pool = world.services.get(unit, ())
        if rng.random() < SIPAS_SHARE:
            yield _sipas(rng, world, unit, q, when, pool)
        else:
            yield _quick(rng, unit, q, when, pool)


def _sipas(rng, world: World, unit: str, q: float, when: datetime, pool) -> Generated:
    answers: dict = {}
    for element, count in SIPAS_ELEMENTS:
        qe = min(0.98, q + world.element_offset[(unit, element)])
        for k in range(1, count + 1):
            if rng.random() < (0.5 if element == "PA" else 0.03):
                answers[f"{element}{k}"] = "0"  # không áp dụng
            else:
                answers[f"{element}{k}"] = _score(rng, qe)
    overall = _score(rng, q)
    answers["HL"] = overall
    if overall in "123":
        answers["MM"] = rng.sample(PRIORITIES, k=rng.choice((1, 2, 2)))  # at most 2
    if rng.random() < 0.25:
        answers["YK"] = rng.choice(POSITIVE if overall in "45" else NEGATIVE)
    for profile, choices in (
        ("TUOI", "12345"),
        ("GIOI", ("NAM", "NU")),
        ("NGHE", ("CBCC", "DN", "NONG", "CN", "HS", "HUU", "KHAC")),
    ):
        if rng.random() < 0.7:
            answers[profile] = rng.choice(choices)
    channel = rng.choices(*SIPAS_CHANNELS)[0]
    service = rng.choice(pool) if pool and rng.random() < 0.8 else ""
    return Generated(
        unit, service, channel, "sipas", when, answers, dossier=bool(service) and rng.random() < 0.5
    )


def _quick(rng, unit: str, q: float, when: datetime, pool) -> Generated:
    rating = "3" if rng.random() < q * 0.6 else ("2" if rng.random() < q else "1")
    answers: dict = {"DG": rating}
    if rating == "1":
        answers["LD"] = rng.sample(REASONS, k=rng.choice((1, 1, 2)))
        if rng.random() < 0.3:
            answers["YK"] = rng.choice(NEGATIVE)
    channel = rng.choices(*QUICK_CHANNELS)[0]
    service = rng.choice(pool) if pool and rng.random() < 0.4 else ""
    return Generated(unit, service, channel, "nhanh", when, answers)


class RowMaker:
    """Answer rows of a version from generated answers, as `validate_answers` makes them (the
    same items in the same order; a test holds them equal), without its checks: the rows of
    each (item, answer) are made once and shared."""

    def __init__(self, schema: VersionSchema):
        self.items = schema.items
        self._cache: dict[tuple[int, str], AnswerRow] = {}

    def _row(self, item, code: str) -> AnswerRow:
        key = (item.id, code)
        row = self._cache.get(key)
        if row is None:
            if item.kind == "text":
                row = AnswerRow(item.id, text=code)
            elif item.allow_na and code == "0":
                row = AnswerRow(item.id, not_applicable=True)
            else:
                option = item.option(code)
                if option is None:
                    raise ValueError(f"{item.code}: no option {code!r}")
                row = AnswerRow(item.id, value=option.value, option_id=option.id)
            self._cache[key] = row
        return row

    def rows(self, answers: dict) -> list[AnswerRow]:
        out = []
        for item in self.items:
            raw = answers.get(item.code)
            if raw is None:
                continue
            if isinstance(raw, list):
                out += [self._row(item, code) for code in raw]
            else:
                out.append(self._row(item, raw))
        return out


# --- the database ------------------------------------------------------------------------------


def catalogue_csv() -> bytes:
    """The demo catalogue and its variants, as a catalogue file."""
    path = organisation_demo.__path__[0] + "/services.csv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    for v, variant in enumerate(VARIANTS):
        for n, row in enumerate(rows):
            writer.writerow(
                row | {"code": f"9.{v}{n:05d}", "name": f"{row['name']} ({variant})"[:1000]}
            )
    return out.getvalue().encode()


def _ensure_catalogue() -> None:
    if Service.objects.count() < 300:
        catalogue_import(catalogue_csv(), filename="services.csv", actor=None)


def _services_by_unit(units: dict[str, Unit]) -> dict[str, list[str]]:
    """The procedures a unit answers about: its own and those of the unit above it (a commune
    answers about the procedures of "UBND các xã, thị trấn")."""
    own: dict[int, list[str]] = {}
    for code, unit_id in (
        Service.objects.filter(units__isnull=False)
        .values_list("code", "units")
        .order_by("code", "units")
    ):
        own.setdefault(unit_id, []).append(code)
    return {
        code: own.get(unit.pk, []) + own.get(unit.parent_id, []) for code, unit in units.items()
    }


def _campaigns(sipas, nhanh, root: Unit, *, first: date, today: date) -> dict[str, Campaign]:
    every = ["web", "kiosk", "paper", "import", "api", "invitation"]
    plans = [
        (
            f"sipas{y}",
            f"Khảo sát SIPAS năm {y} (dữ liệu sinh)",
            sipas,
            max(first, date(y, 1, 1)),
            date(y, 12, 31),
        )
        for y in range(first.year, today.year + 1)
    ]
    plans.append(
        (
            "nhanh",
            f"Đánh giá nhanh {first.year}–{today.year} (dữ liệu sinh)",
            nhanh,
            first,
            date(today.year, 12, 31),
        )
    )
    campaigns = {}
    for key, name, version, starts_on, ends_on in plans:
        campaign, _created = Campaign.objects.get_or_create(
            name=name,
            defaults={
                "version": version,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "channels": every,
                "status": "closed" if ends_on < today else "open",
            },
        )
        campaign.units.add(root)
        campaigns[key] = campaign
    return campaigns


@dataclass
class Result:
    responses: int
    answers: int
    seconds: float  # storing the responses and answers (hooks included, cases not)
    dossiers: int
    cases: int


def generate_data(
    *,
    responses: int,
    seed: int = 12,
    today: date,
    hooks: bool = True,
    chunk: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """Add `responses` generated responses (and their dossiers and cases) to the database."""
    import time as clock

    from hailong.feedback.demo import NAMES, SUBJECTS  # the demo's sentences

    with transaction.atomic():
        units = demo_units_ensure()
        _ensure_catalogue()
    sipas = QuestionnaireVersion.objects.get(questionnaire__code="sipas", number=1)
    nhanh = QuestionnaireVersion.objects.get(questionnaire__code="nhanh", number=1)
    first = today - timedelta(days=DAYS_OF_HISTORY)
    campaigns = _campaigns(sipas, nhanh, units["UBND"], first=first, today=today)
    answering = sorted(code for code in units if code not in ("UBND", "XA"))
    world = world_for(answering, _services_by_unit(units), seed=seed)
    service_ids = dict(Service.objects.values_list("code", "pk"))
    service_limits = dict(Service.objects.values_list("code", "time_limit_days"))
    versions = {"sipas": sipas, "nhanh": nhanh}
    makers = {code: RowMaker(schema_for(v)) for code, v in versions.items()}
    build = response_builder()
    offset = Response.objects.count()  # serials and codes stay unique when run again
    rng = random.Random(f"dossiers:{seed}")  # noqa: S311 (test data)
    counts = {"dossiers": 0, "answers": 0}
    started = clock.perf_counter()

    def loadables() -> Iterator[Loadable]:
        pending: list[tuple[Generated, int]] = []
        for n, g in enumerate(draw(world, n=responses, seed=seed, today=today), start=offset):
            pending.append((g, n))
            if len(pending) == chunk:
                yield from _tie(pending)
                pending = []
        yield from _tie(pending)

    def _tie(pending) -> Iterator[Loadable]:
        """Register the chunk's dossiers, then build its responses tied to ids."""
        dossiers = {}
        for g, n in pending:
            if g.dossier:
                dossiers[n] = _dossier(g, n, units, service_ids, service_limits, rng)
        extra = [
            _dossier(g, -n, units, service_ids, service_limits, rng)
            for g, n in pending
            if g.dossier and rng.random() < 0.33
        ]
        written = [*dossiers.values(), *extra]
        for dossier in written:
            dossier.dates_fill()  # bulk_create skips Dossier.save
        # The responses (below) are linked as they are stored, so the response hooks count
        # the unsatisfied ones; the cases (after) mark theirs with a PAKN as they are received.
        Dossier.objects.bulk_create(written)
        counts["dossiers"] += len(dossiers) + len(extra)
        for g, n in pending:
            version = versions[g.questionnaire]
            campaign = campaigns[
                "nhanh" if g.questionnaire == "nhanh" else f"sipas{g.submitted_at.year}"
            ]
            dossier = dossiers.get(n)
            response = build(
                version_id=version.pk,
                campaign_id=campaign.pk,
                unit_id=units[g.unit].pk,
                service_id=service_ids[g.service] if g.service else None,
                channel=g.channel,
                submitted_at=g.submitted_at,
                local_date=g.submitted_at.date(),
                dossier_code=dossier.code if dossier else "",
                dossier_id=dossier.pk if dossier else None,
                paper_serial=f"G{n:09d}" if g.channel == "paper" else "",
                comment="",
                created_at=g.submitted_at,
            )
            rows = makers[g.questionnaire].rows(g.answers)
            counts["answers"] += len(rows)
            yield Loadable(response, rows)

    stored = responses_bulk_load(loadables(), hooks=hooks, chunk=chunk, progress=progress)
    seconds = clock.perf_counter() - started
    cases = _cases(
        max(1, responses // RESPONSES_PER_CASE), units, answering, SUBJECTS, NAMES, seed, today
    )
    return Result(stored, counts["answers"], seconds, counts["dossiers"], cases)


def _dossier(g: Generated, n: int, units, service_ids, limits, rng) -> Dossier:
    limit = limits.get(g.service) or 5
    returned = g.submitted_at - timedelta(hours=rng.randint(1, 6))
    received = returned - timedelta(days=rng.randint(max(1, limit - 2), limit + 4))
    prefix = "000.00.12.H19" if n >= 0 else "000.00.12.H19-K"
    return Dossier(
        code=f"{prefix}-{g.submitted_at:%y%m%d}-{abs(n):07d}",
        service_id=service_ids[g.service],
        unit=units[g.unit],
        channel=rng.choice(["in_person", "in_person", "online"]),
        received_at=received,
        due_at=received + timedelta(days=limit),
        returned_at=returned,
    )


def _cases(count: int, units, answering, subjects, names, seed: int, today: date) -> int:
    """Cases through the feedback service over the year before `today` (intake refuses cases
    dated more than two years back: hailong.feedback.intake.CASE_OLDEST), then moved along
    their workflow as the demo moves its own (accepted, answered in time or late, rated,
    closed), so the complaints panel has something to count."""
    from hailong.core.calendar import WorkingCalendar
    from hailong.feedback.demo import CHANNELS, _progress
    from hailong.feedback.intake import CaseIntake
    from hailong.feedback.services import case_receive

    rng = random.Random(f"cases:{seed}")  # noqa: S311 (test data)
    calendar = WorkingCalendar.load()
    for n in range(count):
        kind, title, content = rng.choice(subjects)
        unit = units[rng.choice(answering)]
        day = today - timedelta(days=rng.randint(1, 365))
        named = kind in ("complaint", "denunciation") or rng.random() < 0.6
        case, _created = case_receive(
            CaseIntake(
                kind=kind,
                channel=rng.choice(CHANNELS),
                unit=unit,
                title=title,
                content=content,
                contact_name=rng.choice(names) if named else "",
                contact_phone=f"09{rng.randint(10000000, 99999999)}" if named else "",
                consent_given=named,
                received_at=datetime.combine(day, time(rng.randint(7, 16)), tzinfo=LOCAL_TZ),
                idempotency_key=f"generated:{seed}:{today:%Y%m%d}:{n}",
            ),
            notify=False,
        )
        _progress(case, rng, calendar, today, units, {}, {})
    return count
