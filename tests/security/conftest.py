"""The walk's world: the root conftest's organisation, a persona of every role scoped to unit A,
and a real object behind every URL for unit A and for unit B, built once per module.

The objects live in a transaction opened for the module and rolled back after it; each test
runs in a savepoint inside it (pytest-django's `db`), so what one test changes is gone for the
next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from conftest import PROBE, make_org, make_staff
from hailong.organisation.models import Role, Staff


@dataclass
class World:
    org: object
    admin: Staff
    secretary: Staff  # the whole organisation; uploads the files
    people: dict[str, Staff]  # role -> a person of that role scoped to unit A
    urls: dict[str, dict[str, str]] = field(default_factory=dict)  # "a"/"b" -> name -> URL
    device_token: str = ""
    api_key: str = ""


def _objects(world: World, side: str, sipas) -> dict[str, str]:
    from django.core.files.base import ContentFile  # noqa: F401 (objects_of uses it)

    from hailong.core.imports import file_import_start
    from hailong.organisation.tests.test_scope_http import objects_of
    from hailong.surveys.imports import response_import_start
    from hailong.surveys.invitations import invitation_token
    from hailong.surveys.models import Campaign, Invitation, RegularCustomer

    org = world.org
    unit, service, point = (
        (org.unit_a, org.service_a, org.point_a)
        if side == "a"
        else (org.unit_b, org.service_b, org.point_b)
    )
    urls = objects_of(org, unit, service, point, sipas, world.admin)
    campaign = Campaign.objects.get(name=f"Đợt {unit.code}")
    campaign.channels = [*campaign.channels, "invitation"]
    campaign.save(update_fields=["channels"])
    customer = RegularCustomer.objects.create(
        name=f"Khách hàng {side.upper()}", email=f"khach-{side}@example.vn", unit=unit
    )
    invitation = Invitation.objects.create(campaign=campaign, customer=customer)
    case_code = urls["feedback:case_detail"].split("/")[2]
    attachment = urls["feedback:case_attachment"].rstrip("/").split("/")[-1]
    version, item = sipas.pk, sipas.items.order_by("pk").first().pk
    catalogue = file_import_start(
        kind="catalogue", data=b"code\n", filename=f"{side}.csv", actor=world.secretary
    )
    results = response_import_start(
        data=b"id\n", filename=f"{side}.csv", version=sipas, campaign=None, actor=world.secretary
    )
    return {
        **urls,
        "public:survey_form": f"/danh-gia/{point.code}/",
        "public:thanks": f"/danh-gia/{point.code}/cam-on/",
        "public:invitation": f"/moi/{invitation_token(invitation)}/",
        "public:case_filed": f"/phan-anh/da-nhan/{case_code}/",
        "public:case_receipt": f"/phan-anh/{case_code}/giay-tiep-nhan.pdf",
        "public:case_link": "/tra-cuu/l/not-a-token/",
        "public:case_status": f"/tra-cuu/{case_code}/",
        "public:case_rate": f"/tra-cuu/{case_code}/danh-gia/",
        "public:case_file": f"/tra-cuu/{case_code}/tep/{attachment}/",
        "api:case": f"/api/v1/cases/{case_code}",
        "file_import_detail": f"/imports/{catalogue.pk}/",
        "file_import_confirm": f"/imports/{catalogue.pk}/confirm/",
        "file_import_cancel": f"/imports/{catalogue.pk}/cancel/",
        "surveys:import_detail": f"/surveys/imports/{results.pk}/",
        "surveys:import_confirm": f"/surveys/imports/{results.pk}/confirm/",
        "surveys:import_cancel": f"/surveys/imports/{results.pk}/cancel/",
        "surveys:section_add": f"/surveys/versions/{version}/sections/add/",
        "surveys:version_detail": f"/surveys/versions/{version}/",
        "surveys:version_edit": f"/surveys/versions/{version}/edit/",
        "surveys:version_compare": f"/surveys/versions/{version}/compare/?with={version}",
        "surveys:version_export": f"/surveys/versions/{version}/export.json",
        "surveys:item_add": f"/surveys/versions/{version}/items/add/",
        "surveys:item_edit": f"/surveys/versions/{version}/items/{item}/",
        "surveys:item_delete": f"/surveys/versions/{version}/items/{item}/delete/",
        "surveys:version_action": f"/surveys/versions/{version}/publish/",
    }


def _build() -> World:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from hailong.api.tokens import api_token_issue
    from hailong.core.models import CalendarDay
    from hailong.feedback.deadlines import install_default_rules
    from hailong.surveys import models
    from hailong.surveys.files.questionnaire_json import ModelSet, install_builtin
    from hailong.surveys.services.kiosk import kiosk_device_register

    # Normally installed by migrations; a transactional (browser) test before this module
    # empties the database, so put them back when missing (as the root conftest does).
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
    install_default_rules()
    org = make_org()
    admin = make_staff("quantri", Role.ADMIN, [org.root], "Quản Trị Viên")
    secretary = make_staff("thuky", Role.SECRETARY, [org.root], "Thư Ký ISO")
    people = {
        Role.ADMIN: admin,
        Role.SECRETARY: make_staff("thuky_a", Role.SECRETARY, [org.unit_a], "Thư Ký A"),
        Role.LEADER: make_staff("lanhdao_a", Role.LEADER, [org.unit_a], "Lãnh Đạo A"),
        Role.CLERK: make_staff("tiepnhan_a", Role.CLERK, [org.unit_a], "Tiếp Nhận A"),
        Role.OFFICER: make_staff("canbo_a", Role.OFFICER, [org.unit_a], "Cán Bộ A"),
    }
    make_staff("canbo_b", Role.OFFICER, [org.unit_b], "Cán Bộ B")
    world = World(org=org, admin=admin, secretary=secretary, people=people)
    sipas = models.QuestionnaireVersion.objects.get(questionnaire__code="sipas", number=1)
    nhanh = models.QuestionnaireVersion.objects.get(questionnaire__code="nhanh", number=1)
    kiosk_campaign = models.Campaign.objects.create(
        name="Đánh giá nhanh",
        version=nhanh,
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=30),
        channels=["kiosk"],
        status="open",
    )
    kiosk_campaign.units.set([org.unit_a])
    world.urls = {side: _objects(world, side, sipas) for side in ("a", "b")}
    _device, world.device_token = kiosk_device_register(
        point=org.point_a, name="Máy tính bảng A", actor=admin
    )
    CalendarDay.objects.create(
        date=timezone.localdate() + timedelta(days=400), is_day_off=True, name="Nghỉ bù"
    )
    # A locked-out sign-in, so that the admin's pages of django-axes have a row each.
    seen = {"user_agent": "walk", "ip_address": "192.0.2.9", "username": "canbo_b"}
    seen |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=5)
    AccessFailureLog.objects.create(**seen, locked_out=True)
    AccessLog.objects.create(**seen)
    _token, world.api_key = api_token_issue(
        system="Hệ thống một cửa",
        scopes=["responses", "dossiers", "cases"],
        units=[org.unit_a],
        actor=admin,
    )
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # The write path's probe (root conftest) must know of the module's answers too.
            from django.conf import settings

            hooks = [*settings.HAILONG_RESPONSE_HOOKS, PROBE]
            with override_settings(HAILONG_RESPONSE_HOOKS=hooks):
                built = _build()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
