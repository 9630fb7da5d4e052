"""Cases for the personas of the root conftest: a factory and an inspector granted tố cáo."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth.models import Permission

from conftest import make_staff, make_unit
from hailong.core.periods import LOCAL_TZ
from hailong.feedback.deadlines import install_default_rules
from hailong.feedback.intake import CaseIntake
from hailong.feedback.services import case_receive
from hailong.organisation.models import Role


@pytest.fixture
def rules(db):
    install_default_rules()  # normally by migration; transactional tests flush it


@pytest.fixture
def new_case(org, rules):
    """new_case(unit=..., kind=..., received=datetime(...), **contact) -> a received case.
    A naive `received` is local time (Asia/Ho_Chi_Minh); None is now."""

    def make(unit=None, kind="pakn", received: datetime | None = None, actor=None, **extra):
        intake = CaseIntake(
            kind=kind,
            channel=extra.pop("channel", "desk"),
            unit=unit or org.unit_a,
            title=extra.pop("title", "Cán bộ hẹn trả kết quả nhiều lần"),
            content=extra.pop("content", "Tôi đã đến ba lần mà chưa nhận được kết quả."),
            received_at=local(received) if received else None,
            **extra,
        )
        case, _created = case_receive(intake, actor=actor)
        return case

    return make


def local(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


@pytest.fixture
def inspection_unit(org):
    return make_unit("TTR", "Thanh tra tỉnh", parent=org.root)


@pytest.fixture
def inspector(org, inspection_unit):
    """An inspector: scope over the whole province, explicitly granted denunciations."""
    person = make_staff("thanhtra", Role.OFFICER, [org.root], "Thanh Tra Viên")
    person.user_permissions.add(Permission.objects.get(codename="handle_denunciation"))
    return person


def version_of(case) -> int:
    case.refresh_from_db()
    return case.version
