"""Logins: the password check, throttled per address and per account-and-address."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from itertools import takewhile

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from niangjia.core.audit import audit_record
from niangjia.core.context import current_request
from niangjia.core.middleware import client_ip
from niangjia.orgs.models import LoginAttempt, StaffUser


class LoginRefused(Exception):
    """A login attempt was refused; the message is shown to the user."""


class LoginThrottled(LoginRefused):
    """A login attempt was refused unchecked: its address must wait (the message says how long)."""


def staff_authenticate(*, request: HttpRequest | None, username: str, password: str) -> StaffUser:
    """Check a login, throttled per address and per account-and-address (docs/operations.md, "Logins").

    Every answer reads the same whether or not the account exists. An account is never
    locked as such: only the addresses that failed on it must wait, so an attacker cannot
    keep its owner out.
    """
    ip = client_ip(request) if request is not None else current_request().ip
    digest = _username_digest(username)
    wait = login_wait(ip=ip, username_digest=digest, now=timezone.now())
    if wait:
        raise LoginThrottled(_throttled_message(wait))
    # Written before the (slow) password check, as a failure until it succeeds, so that
    # concurrent attempts from other workers already count it.
    attempt = LoginAttempt.objects.create(ip=ip, username_digest=digest, at=timezone.now())
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        _record_failure(ip=ip, username=username, username_digest=digest)
        raise LoginRefused("用户名或密码错误。")
    assert isinstance(authenticated, StaffUser)
    with transaction.atomic():
        LoginAttempt.objects.filter(pk=attempt.pk).update(ok=True)
        audit_record(actor=authenticated, action="orgs.staff.login", target=authenticated)
    return authenticated


def login_wait(*, ip: str | None, username_digest: str, now: datetime) -> timedelta:
    """Return how long `ip` must still wait before trying the account (zero: it may try now).

    Two counts over the window, each with its free failures and then a wait that doubles:
    the address's failures on any account, and its failures on this account since its last
    success there. Other addresses' failures never count against this one.
    """
    recent = LoginAttempt.objects.filter(ip=ip, at__gte=now - _window())
    address = recent.filter(ok=False).aggregate(count=Count("id"), last=Max("at"))
    ends = [now]
    if address["last"] is not None:
        ends.append(address["last"] + _backoff(address["count"], settings.LOGIN_ADDRESS_FREE_FAILURES))
    history = recent.filter(username_digest=username_digest).order_by("-at").values_list("at", "ok")[:100]
    failures = [at for at, ok in takewhile(lambda row: not row[1], history)]
    if failures:
        ends.append(failures[0] + _backoff(len(failures), settings.LOGIN_ACCOUNT_FREE_FAILURES))
    return max(ends) - now


def login_throttle_clear(*, username: str = "", ip: str | None = None, actor: StaffUser | None = None) -> int:
    """Forget failed logins on an account (from every address) or from an address; return how many."""
    if not username and not ip:
        raise ValidationError("请指定用户名或 IP 地址。")
    failures = LoginAttempt.objects.filter(ok=False)
    if username:
        failures = failures.filter(username_digest=_username_digest(username))
    if ip:
        failures = failures.filter(ip=ip)
    user = StaffUser.objects.filter(username=username).select_related("org").first() if username else None
    with transaction.atomic():
        count, _ = failures.delete()
        audit_record(
            actor=actor,
            action="orgs.staff.unlock",
            target=user,
            target_label=None if user else (username or ip or ""),
            new={"ip": ip, "cleared": count},
            org_path=user.org.path if user and user.org else None,
        )
    return count


def _record_failure(*, ip: str | None, username: str, username_digest: str) -> None:
    # Audited alike for unknown usernames (without the name, which may be a mistyped password),
    # so that the work done, and so the time taken, does not tell which accounts exist.
    user = StaffUser.objects.filter(username=username).select_related("org").first()
    place = user.org.path if user and user.org else ""
    now = timezone.now()
    wait = login_wait(ip=ip, username_digest=username_digest, now=now)
    with transaction.atomic():
        LoginAttempt.objects.filter(at__lt=now - _window()).delete()
        audit_record(
            actor=None,
            action="orgs.staff.login_failed",
            target=user,
            target_label=None if user else "（未知用户名）",
            org_path=place,
        )
        if wait:
            audit_record(
                actor=None,
                action="orgs.staff.login_throttled",
                target=user,
                target_label=None if user else "（未知用户名）",
                new={"seconds": math.ceil(wait.total_seconds())},
                org_path=place,
            )


def _username_digest(username: str) -> str:
    """Key the username, so that the attempts table names no account."""
    return salted_hmac("niangjia.orgs.login", username.strip().casefold(), algorithm="sha256").hexdigest()


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)


def _backoff(failures: int, free: int) -> timedelta:
    """Nothing below `free` failures; then LOGIN_DELAY_SECONDS, doubling with each failure, up to the window."""
    if failures < free:
        return timedelta(0)
    delay = timedelta(seconds=settings.LOGIN_DELAY_SECONDS * 2 ** min(failures - free, 32))
    return min(delay, _window())


def _throttled_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"登录尝试过于频繁，请 {minutes} 分钟后再试。"
