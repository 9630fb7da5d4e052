"""Issue 10 §6: failed sign-ins lock a username at one address, so nobody can keep another
person (the only administrator included) locked out; guessing from many addresses is slowed
for unknown addresses only, and the right password is never refused for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(address: str, password: str, username: str = "quantri"):
    return Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def test_wrong_passwords_from_five_addresses_do_not_lock_the_only_administrator(admin_user):
    for n in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in(f"198.51.100.{n}", "sai").status_code == 200
    assert sign_in("203.0.113.10", PASSWORD).status_code == 302


def test_five_wrong_passwords_lock_that_address_only(admin_user):
    for _n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("198.51.100.1", "sai")
    locked = sign_in("198.51.100.1", PASSWORD)
    assert locked.status_code == 429
    assert "bị tạm khóa" in locked.content.decode()
    assert sign_in("203.0.113.10", PASSWORD).status_code == 302  # the way back: another line


def test_the_lock_ends_by_itself_after_the_cool_off(admin_user):
    for _n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("198.51.100.1", "sai")
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert sign_in("198.51.100.1", PASSWORD).status_code == 302


def test_another_administrator_unlocks_from_the_home_page(admin_user, client_for, officer_a):
    for _n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("198.51.100.1", "sai", username="canbo_a")
    admin = client_for(admin_user)
    assert "<code>canbo_a</code>" in admin.get("/").content.decode()
    assert admin.post("/accounts/unlock/", {"username": "canbo_a"}).status_code == 302
    assert sign_in("198.51.100.1", PASSWORD, username="canbo_a").status_code == 302


@pytest.fixture
def slowdown(settings):
    settings.HAILONG_SIGNIN_SLOWDOWN = (3, 3600)
    settings.HAILONG_SIGNIN_SLOWDOWN_SPACING = 600


def test_guessing_from_many_addresses_gives_each_new_address_one_try(admin_user, slowdown):
    for n in range(3):
        sign_in(f"198.51.100.{n}", "sai")
    assert sign_in("192.0.2.1", "sai").status_code == 200  # its one try is checked
    slowed = sign_in("192.0.2.1", "sai")
    assert slowed.status_code == 429
    assert "chỉ được thử một lần mỗi 10 phút" in slowed.content.decode()
    assert sign_in("192.0.2.2", PASSWORD).status_code == 302  # the right one, first try


def test_the_persons_usual_address_is_never_slowed(admin_user, slowdown):
    assert sign_in("203.0.113.10", PASSWORD).status_code == 302
    for n in range(5):
        sign_in(f"198.51.100.{n}", "sai")
    assert sign_in("203.0.113.10", "sai").status_code == 200  # a typo, checked
    assert sign_in("203.0.113.10", PASSWORD).status_code == 302


def test_the_right_password_is_delayed_never_refused_for_good(admin_user, slowdown):
    for n in range(3):
        sign_in(f"198.51.100.{n}", "sai")
    sign_in("192.0.2.1", "sai")
    assert sign_in("192.0.2.1", PASSWORD).status_code == 429
    later = timezone.now() + timedelta(seconds=settings.HAILONG_SIGNIN_SLOWDOWN_SPACING)
    with time_machine.travel(later, tick=False):
        assert sign_in("192.0.2.1", PASSWORD).status_code == 302
