"""Demo survey data: campaigns, a kiosk tablet, and a few thousand realistic responses over
the last eighteen months, so dashboards and reports have something true to show.

Deterministic (fixed seed) and idempotent: nothing is added when demo responses exist."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hailong.core.calendar import WorkingCalendar
from hailong.core.periods import LOCAL_TZ
from hailong.organisation.models import ServicePoint, Staff, Unit
from hailong.organisation.selectors import services_at_point
from hailong.surveys.models import (
    Campaign,
    Dossier,
    KioskDevice,
    QuestionnaireVersion,
    RegularCustomer,
    Response,
)
from hailong.surveys.services.kiosk import kiosk_device_register
from hailong.surveys.services.responses import (
    Submission,
    dossiers_announce,
    responses_link_dossiers,
    responses_store,
)

GOOD_COMMENTS = [
    "Cán bộ hướng dẫn tận tình, dễ hiểu.",
    "Thủ tục nhanh gọn, trả kết quả đúng hẹn.",
    "Nơi làm việc sạch sẽ, có chỗ ngồi chờ thoáng mát.",
    "Rất hài lòng với thái độ phục vụ của công chức một cửa.",
    "Được hướng dẫn một lần là hoàn thiện hồ sơ, cảm ơn cán bộ.",
    "Nộp hồ sơ trực tuyến thuận tiện, không phải đi lại nhiều.",
]
BAD_COMMENTS = [
    "Phải chờ lâu, nên bố trí thêm người tiếp nhận vào buổi sáng.",
    "Hồ sơ phải bổ sung nhiều lần, mỗi lần hướng dẫn một kiểu.",
    "Trả kết quả trễ hẹn mà không được báo trước.",
    "Bảng niêm yết thủ tục khó đọc, chữ nhỏ.",
    "Máy lấy số thứ tự hay bị lỗi.",
    "Thái độ cán bộ chưa niềm nở, trả lời qua loa.",
    "Phí công chứng chưa được niêm yết rõ ràng.",
]
# How well each point is doing (probability that an answer is satisfied), and its trend:
# the land counter starts badly and improves, as after a corrective action.
POINT_QUALITY = {
    "mc-q1": (0.9, 0.02),
    "mc-q2": (0.62, 0.15),
    "mc-q3": (0.8, 0.05),
    "mc-kiosk": (0.85, 0.04),
    "va-q1": (0.88, 0.0),
    "va-kiosk": (0.86, 0.0),
    "ta-q1": (0.75, 0.06),
    "tp-q1": (0.9, 0.0),
    "tan-q1": (0.82, 0.03),
    "md-q1": (0.7, 0.08),
}
MONTHS_OF_HISTORY = 18


def _start(today: date) -> date:
    """The first day of the month eighteen months before today: the demo is relative to the
    day it is loaded, so its campaigns are open and its history recent whenever it runs."""
    months = today.year * 12 + today.month - 1 - MONTHS_OF_HISTORY
    return date(months // 12, months % 12 + 1, 1)


def _demo_campaigns(sipas, nhanh, *, today: date) -> dict:
    """Campaigns that never compete for the same responses (campaigns_overlapping finds none,
    so no take-over is needed): a SIPAS campaign for each calendar year of the history (past
    years' to be closed once their forms are in) at the district's units, whose counters' QR
    codes open the SIPAS form; the quick 3-level rating at the communes' one-stop desks (QR
    code and tablet) and on the district hall's kiosk, over the whole history."""
    start = _start(today)
    district = list(Unit.objects.filter(parent__code="UBND").exclude(code="XA").order_by("pk"))
    communes = list(Unit.objects.filter(code="XA"))
    hall = list(Unit.objects.filter(code="MOTCUA"))
    plans = [
        (
            f"sipas{year}",
            f"Khảo sát sự hài lòng (SIPAS) năm {year}",
            sipas,
            max(start, date(year, 1, 1)),
            date(year, 12, 31),
            ["web", "paper", "import", "api"] if year == today.year else ["web", "paper"],
            1000 if year == today.year else 600,
            district,
        )
        for year in range(start.year, today.year + 1)
    ]
    plans += [
        (
            "nhanh",
            f"Đánh giá nhanh tại quầy một cửa xã, thị trấn {start.year}–{today.year}",
            nhanh,
            start,
            date(today.year, 12, 31),
            ["kiosk", "web"],
            3000,
            communes,
        ),
        (
            "kiosk",
            f"Đánh giá nhanh tại ki-ốt sảnh Một cửa huyện {start.year}–{today.year}",
            nhanh,
            start,
            date(today.year, 12, 31),
            ["kiosk"],
            1500,
            hall,
        ),
    ]
    campaigns = {}
    for key, name, version, starts_on, ends_on, channels, target, units in plans:
        campaign, _created = Campaign.objects.get_or_create(
            name=name,
            defaults={
                "version": version,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "channels": channels,
                "target_responses": target,
                "status": "open",
            },
        )
        campaign.units.add(*units)
        campaigns[key] = campaign
    return campaigns


def _close_past_campaigns(campaigns: dict, *, today: date) -> None:
    """Past years' campaigns closed, as they were once their forms were in."""
    for campaign in campaigns.values():
        if campaign.ends_on < today:
            Campaign.objects.filter(pk=campaign.pk).update(status="closed")


def _moment(rng: random.Random, day: date) -> datetime:
    # Office hours, 7:30–11:30 and 13:30–17:00.
    minutes = rng.choice([rng.randint(450, 690), rng.randint(810, 1020)])
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LOCAL_TZ)


def _working_days(start: date, until: date) -> list[date]:
    days, day = [], start
    while day <= until:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _score(rng: random.Random, quality: float) -> int:
    if rng.random() < quality:
        return 5 if rng.random() < 0.45 else 4
    return rng.choice([1, 2, 2, 3, 3, 3])


def load_demo_surveys(*, actor: Staff | None, stdout=None) -> dict:
    sipas = QuestionnaireVersion.objects.get(questionnaire__code="sipas", number=1)
    nhanh = QuestionnaireVersion.objects.get(questionnaire__code="nhanh", number=1)
    campaigns = _demo_campaigns(sipas, nhanh, today=timezone.localdate())
    kiosk_url = None
    point = ServicePoint.objects.get(code="mc-kiosk")
    if not KioskDevice.objects.filter(service_point=point).exists() and actor is not None:
        _device, token = kiosk_device_register(
            point=point, name="Máy tính bảng sảnh chính", actor=actor
        )
        kiosk_url = f"/kiosk/#token={token}"
    if Response.objects.filter(campaign__in=campaigns.values()).exists():
        return {"responses": 0, "kiosk_url": kiosk_url}

    rng = random.Random(20261125)  # noqa: S311 (demo data)
    today = timezone.localdate()
    start = _start(today)
    days = _working_days(start, today - timedelta(days=1))
    points = {p.code: p for p in ServicePoint.objects.select_related("unit")}
    services = {code: list(services_at_point(p)) for code, p in points.items()}
    submissions = []
    serial = dossiers = 0
    for day in days:
        progress = (day - start).days / max(1, (today - start).days)
        for code, (quality, trend) in POINT_QUALITY.items():
            point = points[code]
            q = min(0.97, quality + trend * progress)
            per_day = (
                [0, 1, 1, 2, 3, 4]
                if "kiosk" in code
                else [0, 1, 1, 2, 2, 3]
                if code.startswith("mc-q")
                else [0, 0, 1, 1, 1, 2]
            )
            for _ in range(rng.choice(per_day)):
                when = _moment(rng, day)
                # The district's counters serve SIPAS, its hall kiosk and the communes' desks
                # the quick rating (_demo_campaigns).
                if not code.startswith("mc-q"):
                    rating = 3 if rng.random() < q * 0.55 else (2 if rng.random() < q else 1)
                    answers = {"DG": str(rating)}
                    if rating == 1:
                        answers["LD"] = rng.sample(
                            ["CHO", "THAIDO", "HUONGDAN", "BOSUNG", "TREHAN", "COSO"],
                            k=rng.choice([1, 1, 2]),
                        )
                    submissions.append(
                        Submission(
                            version=nhanh,
                            unit=point.unit,
                            service_point=point,
                            answers=answers,
                            channel="kiosk" if "kiosk" in code else "web",
                            campaign=campaigns["kiosk" if code == "mc-kiosk" else "nhanh"],
                            submitted_at=when,
                        )
                    )
                    continue
                campaign = campaigns[f"sipas{day.year}"]
                answers = {}
                for element, count in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3)):
                    bias = -0.12 if element == "TT" and code == "mc-q2" else 0
                    for n in range(1, count + 1):
                        if element == "PA" and rng.random() < 0.55:
                            answers[f"{element}{n}"] = "0"  # never gave feedback
                        else:
                            answers[f"{element}{n}"] = str(_score(rng, q + bias))
                overall = _score(rng, q)
                answers["HL"] = str(overall)
                if overall <= 3:
                    answers["MM"] = rng.sample(["TC", "TT", "CC", "KQ", "PA"], k=2)
                if rng.random() < 0.3:
                    answers["YK"] = rng.choice(GOOD_COMMENTS if overall >= 4 else BAD_COMMENTS)
                for profile, choices in (
                    ("TUOI", "12345"),
                    ("GIOI", ["NAM", "NU"]),
                    ("NGHE", ["CBCC", "DN", "NONG", "CN", "HUU", "KHAC"]),
                ):
                    if rng.random() < 0.7:
                        answers[profile] = rng.choice(list(choices))
                paper = rng.random() < 0.4
                if paper:
                    serial += 1
                pool = services.get(code) or []
                service = rng.choice(pool) if pool and rng.random() < 0.8 else None
                # This year's forms about a procedure name its dossier (the one-stop-shop
                # software's code), registered by load_demo_dossiers.
                dossier_code = ""
                if service is not None and day.year == today.year:
                    dossiers += 1
                    dossier_code = f"000.00.12.H19-{day:%y%m%d}-{dossiers:04d}"
                submissions.append(
                    Submission(
                        version=sipas,
                        unit=point.unit,
                        service_point=point,
                        answers=answers,
                        channel="paper" if paper else "web",
                        campaign=campaign,
                        submitted_at=when,
                        paper_serial=f"D{serial:06d}" if paper else "",
                        service=service,
                        dossier_code=dossier_code,
                    )
                )
    result = responses_store(submissions, actor=None)
    _close_past_campaigns(campaigns, today=today)
    if result.refused and stdout is not None:
        _index, refusal = result.refused[0]
        stdout.write(f"Demo: {len(result.refused)} responses refused: {refusal.message}")
    return {"responses": result.stored_count, "kiosk_url": kiosk_url}


def load_demo_dossiers() -> int:
    """Dossiers of this year for the demo one-stop desks: about a third of them have a survey
    response (linked by code), and a few were returned late, so the dossier register shows
    response rates and the TT 01/2018 time index."""

    if Dossier.objects.exists():
        return 0
    rng = random.Random(2026)  # noqa: S311 (demo data)
    calendar = WorkingCalendar.load()
    answered = list(
        Response.objects.exclude(dossier_code="")
        .filter(service__isnull=False)
        .select_related("service", "unit")
        .order_by("pk")
    )
    dossiers = []
    for response in answered:
        limit = response.service.time_limit_days or 5
        received_day = calendar.add_working_days(response.local_date, -(limit + 2))
        due_day = calendar.add_working_days(received_day, limit)
        returned_day = (
            response.local_date
            if rng.random() < 0.85
            else (calendar.add_working_days(due_day, rng.randint(1, 4)))
        )
        dossiers.append(
            Dossier(
                code=response.dossier_code,
                service=response.service,
                unit=response.unit,
                channel=rng.choice(["in_person", "in_person", "online"]),
                received_at=datetime.combine(received_day, time(8, 30), tzinfo=LOCAL_TZ),
                due_at=datetime.combine(due_day, time(17), tzinfo=LOCAL_TZ),
                returned_at=datetime.combine(returned_day, time(10), tzinfo=LOCAL_TZ),
            )
        )
    # Twice as many dossiers nobody answered about.
    for n, response in enumerate(answered * 2):
        day = response.local_date - timedelta(days=rng.randint(0, 20))
        dossiers.append(
            Dossier(
                code=f"000.00.12.H19-{day:%y%m%d}-9{n:04d}",
                service=response.service,
                unit=response.unit,
                received_at=datetime.combine(day, time(9), tzinfo=LOCAL_TZ),
                due_at=datetime.combine(day + timedelta(days=7), time(17), tzinfo=LOCAL_TZ),
                returned_at=datetime.combine(
                    day + timedelta(days=rng.randint(3, 9)), time(15), tzinfo=LOCAL_TZ
                ),
            )
        )
    for dossier in dossiers:
        dossier.dates_fill()  # bulk_create skips Dossier.save
    Dossier.objects.bulk_create(dossiers, batch_size=1000)
    responses_link_dossiers(codes=[r.dossier_code for r in answered])
    # The unanswered ones too: the dossier hooks hear of every dossier written.
    dossiers_announce(d.pk for d in dossiers)
    return len(dossiers)


REGULAR_CUSTOMERS = [
    (
        "Nguyễn Văn Hải",
        "Công ty TNHH Xây dựng Vĩnh Phát",
        "hai.nguyen@vinhphat.example.vn",
        "PKTHT",
    ),
    ("Trần Thị Lan", "Hợp tác xã Nông nghiệp Tân An", "lan.tran@htxtanan.example.vn", "PNNPTNT"),
    ("Lê Minh Tuấn", "Văn phòng công chứng Vĩnh Cửu", "tuan.le@vpccvc.example.vn", "PTP"),
    ("Phạm Quốc Bảo", "Công ty Cổ phần Bất động sản Trị An", "bao.pham@trian.example.vn", "VPDD"),
    ("Võ Thị Hồng", "Hộ kinh doanh Hồng Phát", "hong.vo@hongphat.example.vn", "PTCKH"),
]


def load_demo_customers() -> int:

    created = 0
    for name, organisation, email, unit_code in REGULAR_CUSTOMERS:
        _customer, was_created = RegularCustomer.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "organisation": organisation,
                "unit": Unit.objects.filter(code=unit_code).first(),
            },
        )
        created += was_created
    return created
