"""Shared fixtures: a small union tree (city → 阎良区, 雁塔区 → streets) and one user per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from niangjia.browser_testing import launch, phone
from niangjia.core.roles import Role
from niangjia.orgs.areas import areas_load
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.orgs.services import org_create

PASSWORD = "Test-pass-2026"  # noqa: S105 - test fixture password
_HASH: list[str] = []


@dataclass
class Tree:
    city: UnionOrg
    yanliang: UnionOrg
    yanta: UnionOrg
    yanliang_street: UnionOrg
    yanta_street: UnionOrg
    city_admin: StaffUser
    yanliang_staff: StaffUser
    yanta_staff: StaffUser
    yanliang_cadre: StaffUser
    yanliang_cadre2: StaffUser
    yanliang_leader: StaffUser
    city_leader: StaffUser


def make_user(username: str, role: str, org: UnionOrg) -> StaffUser:
    """Create a staff user with the test password (hashed once per session: argon2 is slow)."""
    if not _HASH:
        _HASH.append(make_password(PASSWORD))
    return StaffUser.objects.create(username=username, role=role, org=org, password=_HASH[0], display_name=username)


@pytest.fixture
def tree(db: None) -> Tree:
    areas_load()
    area = {a.code: a for a in Area.objects.filter(code__in=["610100", "610114", "610113", "610114001", "610113001"])}
    city = org_create(name="西安市总工会", level=OrgLevel.CITY, area=area["610100"], parent=None)
    yanliang = org_create(name="阎良区总工会", level=OrgLevel.DISTRICT, area=area["610114"], parent=city)
    yanta = org_create(name="雁塔区总工会", level=OrgLevel.DISTRICT, area=area["610113"], parent=city)
    yl_street = org_create(name="阎良街道工会", level=OrgLevel.STREET, area=area["610114001"], parent=yanliang)
    yt_street = org_create(name="雁塔街道工会", level=OrgLevel.STREET, area=area["610113001"], parent=yanta)
    return Tree(
        city=city,
        yanliang=yanliang,
        yanta=yanta,
        yanliang_street=yl_street,
        yanta_street=yt_street,
        city_admin=make_user("admin", Role.CITY_ADMIN, city),
        yanliang_staff=make_user("yl_staff", Role.DISTRICT_STAFF, yanliang),
        yanta_staff=make_user("yt_staff", Role.DISTRICT_STAFF, yanta),
        yanliang_cadre=make_user("yl_cadre", Role.CADRE, yl_street),
        yanliang_cadre2=make_user("yl_cadre2", Role.CADRE, yl_street),
        yanliang_leader=make_user("yl_leader", Role.LEADER, yanliang),
        city_leader=make_user("city_leader", Role.LEADER, city),
    )


def _append_only_migrations() -> list[Any]:
    """The migrations that make the audit log and funds' ledger append-only (their SQLite triggers)."""
    import importlib

    return [
        importlib.import_module("niangjia.core.migrations.0003_auditentry_append_only"),
        importlib.import_module("niangjia.funds.migrations.0002_ledger_append_only"),
    ]


@pytest.fixture(autouse=True)
def _append_only_flushable(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Let transactional tests empty the append-only audit log and ledger afterwards.

    The triggers stay on during the test itself; only the teardown flush (which
    runs after this fixture's teardown) may delete their rows. PostgreSQL's
    triggers (the ledger's too) honour the audit log's maintenance switch.
    """
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        marker = request.node.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            yield
            return
    from django.db import connection

    migrations = _append_only_migrations()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET niangjia.audit_maintenance = 'off'")
        else:
            for migration in migrations:
                for statement in migration.SQLITE_DOWN + migration.SQLITE_UP:
                    cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET niangjia.audit_maintenance = 'on'")
        else:
            for migration in migrations:
                for statement in migration.SQLITE_DOWN:
                    cursor.execute(statement)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache (home-page counts are cached per scope)."""
    from django.core.cache import cache

    cache.clear()


class _Held:
    """A response whose lock is released when the server closes it (after the last byte, or on a broken pipe)."""

    def __init__(self, response: Any, lock: Any) -> None:
        self.response, self.lock = response, lock

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.response)

    def close(self) -> None:
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.lock.release()


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time() -> None:
    """On SQLite the live server's threads share the test's one in-memory connection, so two requests at once
    (a page's two photos) collide ("cannot start a transaction within a transaction"). There the threaded server
    still reads each connection in its own thread (a browser's idle preconnected socket blocks nobody), but only
    one request at a time runs the application, from the call until its response is closed."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneAtATime(ThreadedWSGIServer):
        def set_app(self, application: Any) -> None:
            lock = threading.Lock()

            def app(environ: Any, start_response: Any) -> Any:
                lock.acquire()
                try:
                    return _Held(application(environ, start_response), lock)
                except BaseException:
                    lock.release()
                    raise

            super().set_app(app)

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneAtATime  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test database; on PostgreSQL, stray sessions are ended before it is dropped.

    The live server of the browser tests leaves one connection open in a thread's storage, and
    PostgreSQL refuses to drop a database that is in use.
    """
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Debian's Chromium, headless (see niangjia/browser_testing.py)."""
    yield from launch(monkeypatch)


@pytest.fixture
def page(browser: Any) -> Any:
    """A 375-px phone page."""
    return phone(browser)
