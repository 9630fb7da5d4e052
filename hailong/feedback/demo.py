"""Demo cases: a year of feedback and complaints across units, kinds, channels and every
status, some overdue, some rated, so the lists, the statistics and the QĐ 766 ratios have
something to show. Deterministic (seeded) and loaded once."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone

from hailong.core.calendar import WorkingCalendar
from hailong.core.periods import LOCAL_TZ
from hailong.feedback.deadlines import apply_deadlines, transfer_days_late
from hailong.feedback.intake import CaseIntake
from hailong.feedback.models import Case, CaseEvent, CaseStatus
from hailong.feedback.services import case_assign, case_receive
from hailong.organisation.models import Staff, Unit
from hailong.organisation.selectors import services_of_unit

SUBJECTS = [
    ("pakn", "Thời gian chờ tại quầy quá lâu", "Tôi phải chờ hơn 2 giờ mới được tiếp nhận hồ sơ."),
    ("pakn", "Đề nghị bố trí thêm ghế chờ", "Khu vực chờ thiếu ghế, người cao tuổi phải đứng."),
    (
        "pakn",
        "Hẹn trả kết quả nhiều lần",
        "Hồ sơ bị hẹn lại ba lần mà không có văn bản giải thích.",
    ),
    (
        "pakn",
        "Yêu cầu bổ sung giấy tờ ngoài quy định",
        "Cán bộ yêu cầu nộp thêm bản sao có chứng thực.",
    ),
    ("pakn", "Niêm yết thủ tục chưa đầy đủ", "Bảng niêm yết không ghi mức lệ phí."),
    (
        "complaint",
        "Khiếu nại quyết định từ chối cấp giấy chứng nhận",
        "Tôi không đồng ý với lý do từ chối.",
    ),
    ("complaint", "Khiếu nại việc thu phí", "Tôi bị thu phí cao hơn mức quy định."),
    ("praise", "Khen cán bộ một cửa tận tình", "Cán bộ hướng dẫn rất chu đáo, xin biểu dương."),
    (
        "denunciation",
        "Tố cáo cán bộ nhận tiền ngoài quy định",
        "Tôi được yêu cầu đưa tiền để làm nhanh.",
    ),
]
NAMES = ["Nguyễn Văn Hải", "Trần Thị Lan", "Lê Minh Tuấn", "Phạm Thị Hoa", "Võ Văn Nam"]
UNITS = ["PTNMT", "PTP", "VPDD", "PKTHT", "TT-VINHAN", "XA-TRIAN", "MOTCUA", "PLDTBXH"]
CHANNELS = ["web", "desk", "phone", "letter", "email", "web", "desk"]


def load_demo_cases(*, days: int = 365, seed: int = 2026) -> int:
    if Case.objects.exists():
        return Case.objects.count()
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    units = {u.code: u for u in Unit.objects.filter(code__in=[*UNITS, "UBND"])}
    staff = {s.username: s for s in Staff.objects.all()}
    grant = Permission.objects.get(codename="handle_denunciation")
    for username in ("tiepnhan", "thanhtra"):
        if username in staff:
            staff[username].user_permissions.add(grant)
    officers = {"PTP": "tuphap", "PTNMT": "tainguyen", "TT-VINHAN": "vinhan"}
    calendar = WorkingCalendar.load()
    today = timezone.now().astimezone(LOCAL_TZ).date()
    created = 0
    services_by_unit: dict[int, list] = {}
    for n in range(150):
        kind, title, content = rng.choice(SUBJECTS)
        unit = units[rng.choice(UNITS)]
        received_on = today - timedelta(days=int(rng.triangular(0, days, 20)))
        moment = datetime.combine(received_on, time(rng.randint(7, 16), rng.randint(0, 59)))
        named = kind in ("complaint", "denunciation") or rng.random() < 0.6
        procedures = services_by_unit.setdefault(
            unit.pk, list(services_of_unit(unit).order_by("code")[:40])
        )
        service = rng.choice(procedures) if procedures and rng.random() < 0.6 else None
        case, _ = case_receive(
            CaseIntake(
                kind=kind,
                channel=rng.choice(CHANNELS),
                unit=unit,
                title=title,
                content=content,
                service=service,
                contact_name=rng.choice(NAMES) if named else "",
                contact_phone=f"09{rng.randint(10000000, 99999999)}" if named else "",
                consent_given=named,
                received_at=moment.replace(tzinfo=LOCAL_TZ),
                idempotency_key=f"demo:{n}",
            ),
            notify=False,  # demo people are not texted
        )
        _progress(case, rng, calendar, today, units, staff, officers)
        created += 1
    return created


def _desk_gives_to_inspector(case, units, staff):
    """A denunciation about a district unit or a commune is the Chủ tịch UBND huyện's to
    decide, who has Thanh tra huyện verify it (Luật Tố cáo 2018 art. 13, 31): as the desk does
    it in the product, the case is accepted and assigned, through `case_assign`, to UBND huyện
    with the inspector in charge (who sees it because it is theirs, `cases_visible_to`)."""
    desk, inspector = staff.get("tiepnhan"), staff.get("thanhtra")
    case.status = CaseStatus.ACCEPTED
    apply_deadlines(case)
    case.save()
    if desk is None or inspector is None:
        return case
    return case_assign(
        case=case,
        actor=desk,
        expected_version=case.version,
        unit=units["UBND"],
        officer=inspector,
        note="Giao Thanh tra huyện xác minh nội dung tố cáo.",
    )


def _progress(case, rng, calendar, today, units, staff, officers) -> None:
    """Move a demo case along its workflow as if it had been handled on those days."""
    age = (today - case.received_on).days
    if age < 2 or rng.random() < 0.08:
        return  # still waiting for the desk
    if rng.random() < 0.05:
        case.status = CaseStatus.TRANSFERRED
        case.transferred_to = "Sở Tài nguyên và Môi trường"
        case.transferred_on = calendar.add_working_days(case.received_on, rng.randint(1, 6))
        # As `case_transfer` records it: sent on after the transfer deadline is late.
        case.missed_deadline = bool(
            transfer_days_late(
                transfer_due_on=case.transfer_due_on,
                transferred_on=case.transferred_on,
                calendar=calendar,
            )
        )
        case.due_on = None
        case.save()
        return
    case.accepted_on = calendar.add_working_days(case.received_on, rng.randint(1, 3))
    if case.kind == "denunciation":
        case = _desk_gives_to_inspector(case, units, staff)
    else:
        username = officers.get(case.handling_unit.code)
        case.assignee = staff.get(username) if username else None
    # Only what the workflow can produce: a unit without a demo officer has its case assigned
    # to the unit (nobody in charge); "in progress" always has the officer who started it.
    case.status = CaseStatus.ASSIGNED
    apply_deadlines(case)
    limit = case.answer_due_on or case.received_on + timedelta(days=10)
    span = max((limit - case.received_on).days, 1)
    # Most answered in time, some late; the recent ones still in progress.
    took = rng.randint(1, span) if rng.random() < 0.8 else span + rng.randint(1, 12)
    answered_on = case.received_on + timedelta(days=took)
    if answered_on >= today:
        case.status = CaseStatus.IN_PROGRESS if case.assignee else CaseStatus.ASSIGNED
        case.save()
        return
    case.status = CaseStatus.ANSWERED
    case.answered_on = answered_on
    case.answered_at = datetime.combine(answered_on, time(15, 0)).replace(tzinfo=LOCAL_TZ)
    case.due_on = None
    if case.contact_name and rng.random() < 0.6:
        case.rating = rng.choices([3, 2, 1], weights=[5, 4, 2])[0]
        case.rated_at = case.answered_at + timedelta(days=1)
    if (case.rating and case.rating > 1) or rng.random() < 0.5:
        case.status = CaseStatus.CLOSED
        case.closed_at = case.answered_at + timedelta(days=2)
    case.save()
    CaseEvent.objects.create(
        case=case,
        kind="status",
        from_status=CaseStatus.IN_PROGRESS,
        to_status=CaseStatus.ANSWERED,
        text="Cơ quan đã xem xét và trả lời nội dung phản ánh.",
        is_public=True,
    )
