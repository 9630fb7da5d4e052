"""The staff menu: each role sees every page it may use, and no page it may not (who may open
what is tests/security/routes.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import resolve

from hailong.organisation.models import Role
from tests.security.routes import ROUTES

PERSONAS = {
    Role.ADMIN: "admin_user",
    Role.SECRETARY: "secretary",
    Role.LEADER: "leader",
    Role.CLERK: "clerk_a",
    Role.OFFICER: "officer_a",
}
# Collection pages that had no menu entry (issue 11): every role allowed there gets one.
# The dashboard (issue 12) likewise, for every role over its own scope.
WANTED = (
    "surveys:import_list",
    "surveys:dossier_register",
    "surveys:customer_list",
    "analytics:dashboard",
)


def menu(page: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)


def route_name(path: str) -> str:
    match = resolve(path)
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


@pytest.mark.parametrize("role", list(PERSONAS))
def test_the_menu_offers_the_pages_the_role_may_use_and_no_other(client_for, request, role):
    person = request.getfixturevalue(PERSONAS[role])
    client = client_for(person)
    entries = menu(client.get("/").content.decode())
    names = [route_name(path) for path, _label in entries]
    for name in names:
        who = {Role.ADMIN} if name.startswith("admin:") else ROUTES[name].who  # the admin site
        assert role in who, (role, name)
    for name in WANTED:
        assert (name in names) == (role in ROUTES[name].who), (role, name)
    for path, _label in entries:
        assert client.get(path).status_code == 200, path


def test_the_new_entries_are_in_vietnamese(client_for, admin_user):
    labels = [label for _path, label in menu(client_for(admin_user).get("/").content.decode())]
    assert labels == [
        "Trang chủ",
        "Tổng hợp",
        "Phản ánh, kiến nghị &amp; khiếu nại",
        "Phiếu trả lời",
        "Đợt khảo sát",
        "Phiếu giấy",
        "Bộ câu hỏi",
        "Nhập dữ liệu",
        "Sổ theo dõi hồ sơ",
        "Khách hàng thường xuyên",
        "Đơn vị",
        "Thủ tục",
        "Điểm phục vụ",
        "Cán bộ",
        "Quản trị",
    ]
