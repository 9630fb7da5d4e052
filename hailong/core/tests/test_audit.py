import pytest

from hailong.core.audit import audit_record
from hailong.core.models import AppendOnlyError, AuditEntry
from hailong.organisation.models import ServicePoint


def test_an_admin_edit_through_http_writes_one_audit_row(client_for, admin_user, org):
    client = client_for(admin_user)
    url = f"/admin/organisation/servicepoint/{org.point_a.pk}/change/"
    response = client.post(
        url,
        {
            "unit": org.unit_a.pk,
            "code": "qa",
            "name": "Quầy A – Hộ tịch",
            "kind": "counter",
            "location": "Tầng 1",
            "is_active": "on",
        },
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="service_point.update")
    assert entry.actor == admin_user
    assert entry.actor_name == "quantri"
    assert entry.target_id == str(org.point_a.pk)
    assert entry.before["name"] == "Quầy A"
    assert entry.after["name"] == "Quầy A – Hộ tịch"
    assert entry.ip == "203.0.113.7"
    assert entry.at is not None


def test_an_admin_delete_is_audited(client_for, admin_user, org):
    point = ServicePoint.objects.create(unit=org.unit_b, code="tmp", name="Tạm", kind="kiosk")
    client = client_for(admin_user)
    response = client.post(f"/admin/organisation/servicepoint/{point.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="service_point.delete")
    assert entry.before["code"] == "tmp"
    assert entry.after is None


def test_passwords_never_reach_the_audit_log(client_for, admin_user, officer_a):
    client = client_for(admin_user)
    response = client.post(
        f"/admin/organisation/staff/{officer_a.pk}/password/",
        {
            "password1": "Mot-mat-khau-moi-2026",
            "password2": "Mot-mat-khau-moi-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="staff.set_password")
    assert entry.target_id == str(officer_a.pk)
    assert "Mot-mat-khau" not in str(entry.before) + str(entry.after)


@pytest.mark.django_db
def test_the_audit_log_is_append_only(admin_user):
    entry = audit_record(actor=admin_user, action="auth.login", after={"x": 1})
    entry.action = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "auth.login"


def test_the_audit_log_cannot_be_changed_in_the_admin(client_for, admin_user):
    entry = audit_record(actor=admin_user, action="auth.login")
    client = client_for(admin_user)
    assert client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code == 200
    response = client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_sign_in_and_out_are_audited(client, officer_a):
    from conftest import PASSWORD

    client.post("/accounts/login/", {"username": "canbo_a", "password": PASSWORD})
    client.post("/accounts/logout/")
    actions = list(AuditEntry.objects.filter(actor=officer_a).values_list("action", flat=True))
    assert sorted(actions) == ["auth.login", "auth.logout"]


def test_actions_have_human_labels_in_vietnamese():
    from django.utils import translation

    from hailong.core.audit import action_label

    with translation.override("vi"):
        assert action_label("auth.login") == "đăng nhập"
        assert action_label("service_point.update") == "sửa điểm phục vụ"
        assert action_label("something.unknown") == "something.unknown"


def test_an_undeclared_action_is_refused(db):
    import pytest

    from hailong.core.audit import UnknownAuditAction, audit_record

    with pytest.raises(UnknownAuditAction):
        audit_record(actor=None, action="something.unknown")
    assert AuditEntry.objects.count() == 0


def test_denunciation_and_other_case_actions_read_alike():
    from django.utils import translation

    from hailong.core.audit import action_label, declared_actions

    case_actions = [a for a in declared_actions() if a.startswith("case.")]
    assert "case.denunciation" not in case_actions
    with translation.override("vi"):
        assert action_label("case.create") == "tiếp nhận vụ việc"


def test_every_action_written_in_the_code_is_declared():
    import ast
    from pathlib import Path

    from django.conf import settings

    from hailong.core.audit import declared_actions

    written = set()
    for path in (Path(settings.BASE_DIR) / "hailong").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit_record":
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        written.add(keyword.value.value)
    assert written - set(declared_actions()) == set()
    assert len(written) > 30
