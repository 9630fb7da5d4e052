from django.conf import settings
from django.contrib.auth.hashers import get_hasher

from conftest import PASSWORD
from hailong.organisation.models import Staff


def test_the_login_page_is_vietnamese_by_default(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page


def test_a_wrong_password_gets_a_clear_vietnamese_message(client, officer_a):
    response = client.post("/accounts/login/", {"username": "canbo_a", "password": "sai"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page
    assert 'value="canbo_a"' in page  # what was typed is kept


def test_a_correct_login_lands_on_the_role_home(client, officer_a):
    response = client.post(
        "/accounts/login/", {"username": "canbo_a", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert 'data-testid="home-officer"' in response.content.decode()


def test_repeated_failures_lock_the_account(client, officer_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "canbo_a", "password": "sai"})
    response = client.post("/accounts/login/", {"username": "canbo_a", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "bị tạm khóa" in page
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client_for, officer_a):
    client = client_for(officer_a)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change(client_for, officer_a):
    client = client_for(officer_a)
    bad = client.post(
        "/accounts/password/", {"old_password": "sai", "new_password1": "x", "new_password2": "x"}
    )
    assert bad.status_code == 200
    assert "Mật khẩu cũ không chính xác. Hãy nhập lại lần nữa" in bad.content.decode()
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Hoa-sen-no-2026!",
            "new_password2": "Hoa-sen-no-2026!",
        },
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password("Hoa-sen-no-2026!")


def test_passwords_are_hashed_with_argon2_in_real_settings():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert get_hasher("argon2").algorithm == "argon2"
    person = Staff(username="x")
    person.password = get_hasher("argon2").encode("mat-khau", get_hasher("argon2").salt())
    assert person.password.startswith("argon2$")


def test_each_role_has_its_own_home(client_for, admin_user, secretary, leader, clerk_a, officer_a):
    expected = {
        admin_user: "home-admin",
        secretary: "home-secretary",
        leader: "home-leader",
        clerk_a: "home-clerk",
        officer_a: "home-officer",
    }
    for person, marker in expected.items():
        page = client_for(person).get("/").content.decode()
        assert f'data-testid="{marker}"' in page, person.role


def test_switching_to_english_and_back(client_for, clerk_a):
    client = client_for(clerk_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page and "Sign out" in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="vi">' in page and "Đăng xuất" in page


def test_an_english_browser_still_gets_vietnamese_until_english_is_chosen(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page and "Đăng nhập" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in page and "Sign in" in page


def test_a_warning_comes_before_the_lockout(client, officer_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        response = client.post("/accounts/login/", {"username": "canbo_a", "password": "sai"})
    assert "Nếu đăng nhập sai thêm 2 lần nữa" in response.content.decode()


def test_failed_sign_ins_and_lockouts_are_audited_and_the_admin_can_unlock(
    client, client_for, officer_a, admin_user
):
    from hailong.core.models import AuditEntry

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "canbo_a", "password": "sai"})
    assert AuditEntry.objects.filter(action="auth.login_failed").count() >= 1
    assert AuditEntry.objects.filter(action="auth.locked_out").exists()
    admin = client_for(admin_user)
    assert "canbo_a" in admin.get("/").content.decode()
    admin.post("/accounts/unlock/", {"username": "canbo_a"})
    assert AuditEntry.objects.filter(action="auth.unlock", actor=admin_user).exists()
    admin.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "canbo_a", "password": PASSWORD})
    assert response.status_code == 302


def test_only_administrators_unlock(client_for, officer_a):
    assert client_for(officer_a).post("/accounts/unlock/", {"username": "x"}).status_code == 403


def test_the_home_page_takes_a_bounded_number_of_queries(
    client_for, leader, campaign, django_assert_max_num_queries
):
    client = client_for(leader)
    client.get("/")  # warm caches (session, content types)
    with django_assert_max_num_queries(30):
        assert client.get("/").status_code == 200
