"""Login throttling: no account enumeration, no lockout of the real user, per-address limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F

from niangjia.conftest import PASSWORD
from niangjia.core.models import AuditEntry
from niangjia.orgs.models import LoginAttempt

ATTACKER = "203.0.113.66"
CADRE_OFFICE = "198.51.100.10"


def _post(client, username: str, password: str, ip: str):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _page(response, username: str) -> bytes:
    """The response body with what legitimately differs blanked: the CSRF token and the echoed name."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", response.content)
    body = re.sub(rb'"X-CSRFToken": "[^"]+"', b"CSRF", body)
    return body.replace(username.encode(), b"USERNAME")


def _age_attempts(minutes: int) -> None:
    LoginAttempt.objects.update(at=F("at") - timedelta(minutes=minutes))


def test_existing_and_unknown_accounts_answer_byte_for_byte_alike(client, tree):
    for attempt in range(7):  # past the account's free failures, into the throttle
        known = _post(client, "yl_staff", "wrong-password", "203.0.113.1")
        unknown = _post(client, "no_such_user", "wrong-password", "203.0.113.2")
        assert known.status_code == unknown.status_code, attempt
        assert _page(known, "yl_staff") == _page(unknown, "no_such_user"), attempt
    assert known.status_code == 429
    assert "登录尝试过于频繁，请 1 分钟后再试。" in known.content.decode()


def test_throttle_counts_unknown_usernames_too(client, tree):
    for _ in range(5):
        _post(client, "no_such_user", "wrong-password", ATTACKER)
    response = _post(client, "no_such_user", "wrong-password", ATTACKER)
    assert response.status_code == 429


def test_an_address_failing_on_many_accounts_is_throttled(client, tree, settings):
    for number in range(settings.LOGIN_ADDRESS_FREE_FAILURES):
        assert _post(client, f"guess{number}", "wrong-password", ATTACKER).status_code == 400, number
    # Even an account it never tried, with the right password, waits: the address is guessing.
    response = _post(client, "yl_cadre", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "登录尝试过于频繁" in response.content.decode()
    # Nobody else is slowed down.
    assert _post(client, "yl_cadre", PASSWORD, CADRE_OFFICE).status_code == 302


def test_sixteen_failures_from_one_address_are_throttled_and_not_checked(client, tree):
    statuses = [_post(client, f"user{n}", "wrong-password", ATTACKER).status_code for n in range(16)]
    assert statuses.count(429) == 6
    assert LoginAttempt.objects.filter(ip=ATTACKER).count() == 10  # refused attempts never reach the password check


def test_real_user_logs_in_from_elsewhere_while_an_attacker_hammers_the_account(client, tree):
    for _ in range(30):
        _post(client, "yl_cadre", "wrong-password", ATTACKER)
    assert _post(client, "yl_cadre", PASSWORD, ATTACKER).status_code == 429
    response = _post(client, "yl_cadre", PASSWORD, CADRE_OFFICE)
    assert response.status_code == 302 and response.url == "/"
    assert AuditEntry.objects.filter(action="orgs.staff.login", ip=CADRE_OFFICE).count() == 1


def test_the_wait_doubles_with_each_further_failure(client, tree):
    for _ in range(5):
        _post(client, "yl_staff", "wrong-password", ATTACKER)
    assert "请 1 分钟后再试" in _post(client, "yl_staff", PASSWORD, ATTACKER).content.decode()
    _age_attempts(2)
    _post(client, "yl_staff", "wrong-password", ATTACKER)  # the sixth failure
    assert "请 2 分钟后再试" in _post(client, "yl_staff", PASSWORD, ATTACKER).content.decode()


def test_throttle_expires(client, tree):
    for _ in range(5):
        _post(client, "yl_staff", "wrong-password", ATTACKER)
    assert _post(client, "yl_staff", PASSWORD, ATTACKER).status_code == 429
    _age_attempts(2)
    assert _post(client, "yl_staff", PASSWORD, ATTACKER).status_code == 302


def test_old_attempts_are_pruned(client, tree, settings):
    _post(client, "yl_staff", "wrong-password", ATTACKER)
    _age_attempts(settings.LOGIN_WINDOW_MINUTES + 1)
    _post(client, "yl_staff", "wrong-password", CADRE_OFFICE)
    assert list(LoginAttempt.objects.values_list("ip", flat=True)) == [CADRE_OFFICE]


def test_attempts_name_no_account(client, tree):
    _post(client, "yl_staff", "wrong-password", ATTACKER)
    digest = LoginAttempt.objects.get().username_digest
    assert "yl_staff" not in digest and len(digest) == 64


def test_failures_and_throttles_are_audited_in_the_users_district(client, tree):
    for _ in range(5):
        _post(client, "yl_staff", "wrong-password", ATTACKER)
    failed = AuditEntry.objects.filter(action="orgs.staff.login_failed", target_id=str(tree.yanliang_staff.pk))
    assert failed.count() == 5 and {e.ip for e in failed} == {ATTACKER}
    throttled = AuditEntry.objects.get(action="orgs.staff.login_throttled")
    assert (throttled.org_path, throttled.new_values) == (tree.yanliang.path, {"seconds": 60})


def test_unlock_lets_the_account_try_again(client, tree):
    for _ in range(5):
        _post(client, "yl_staff", "wrong-password", ATTACKER)
    call_command("login_unlock", "yl_staff")
    assert _post(client, "yl_staff", PASSWORD, ATTACKER).status_code == 302
    entry = AuditEntry.objects.get(action="orgs.staff.unlock")
    assert (entry.target_id, entry.new_values) == (str(tree.yanliang_staff.pk), {"ip": None, "cleared": 5})


def test_unlock_needs_an_account_or_an_address(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="请指定用户名或 IP 地址"):
        call_command("login_unlock")
