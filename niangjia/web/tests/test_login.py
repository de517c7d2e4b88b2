"""Login: argon2 hashes, throttling after failures, idle expiry, audit of each attempt."""

from __future__ import annotations

from django.conf import settings

from niangjia.conftest import PASSWORD
from niangjia.core.models import AuditEntry


def test_password_is_hashed_with_argon2(tree):
    assert tree.yanliang_staff.password.startswith("argon2$")


def test_login_success_reaches_home_and_is_audited(client, tree):
    response = client.post("/login/", {"username": "yl_staff", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    home = client.get("/")
    assert "阎良区总工会 · 工作台" in home.content.decode()
    entry = AuditEntry.objects.filter(action="orgs.staff.login").latest("id")
    assert entry.actor_id == tree.yanliang_staff.pk and entry.ip == "127.0.0.1" and entry.request_id


def test_five_failures_make_that_address_wait_even_with_right_password(client, tree):
    for attempt in range(5):
        response = client.post("/login/", {"username": "yl_staff", "password": "wrong-password"})
        assert "用户名或密码错误" in response.content.decode(), attempt
    response = client.post("/login/", {"username": "yl_staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录尝试过于频繁，请 1 分钟后再试。" in response.content.decode()
    assert (
        AuditEntry.objects.filter(action="orgs.staff.login_throttled", target_id=str(tree.yanliang_staff.pk)).count()
        == 1
    )


def test_four_failures_then_success_resets_the_count(client, tree):
    for _ in range(4):
        client.post("/login/", {"username": "yl_staff", "password": "nope-nope-nope"})
    assert client.post("/login/", {"username": "yl_staff", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post("/login/", {"username": "yl_staff", "password": "nope-nope-nope"})
    assert client.post("/login/", {"username": "yl_staff", "password": PASSWORD}).status_code == 302


def test_unknown_user_gets_same_message(client, tree):
    response = client.post("/login/", {"username": "nobody", "password": "whatever-123"})
    assert "用户名或密码错误" in response.content.decode()


def test_session_expires_after_30_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_open_redirect_refused(client, tree):
    response = client.post("/login/?next=https://evil.example/", {"username": "yl_staff", "password": PASSWORD})
    assert response.url == "/"


def test_each_role_has_a_home(client, tree):
    expectations = {
        tree.city_admin: "西安市总工会 · 工作台",
        tree.yanliang_staff: "阎良区总工会 · 工作台",
        tree.yanliang_cadre: "我的工作台",
        tree.yanliang_leader: "阎良区总工会 · 工作概览",
    }
    for user, title in expectations.items():
        client.force_login(user)
        assert title in client.get("/").content.decode(), user.username


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_failed_logins_are_visible_to_the_users_district_admins(client, tree):
    from niangjia.core.selectors import audit_search

    client.post("/login/", {"username": "yl_staff", "password": "wrong-password"})
    seen = audit_search(user=tree.yanliang_staff, action="orgs.staff.login_failed")
    assert [e.target_label for e in seen] == ["yl_staff"]
    assert audit_search(user=tree.yanta_staff, action="orgs.staff.login_failed") == []
