"""Audit addresses and request ids: forwarding headers count only from trusted proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from niangjia.conftest import PASSWORD
from niangjia.core.middleware import client_ip, forwarded_request_id
from niangjia.core.models import AuditEntry

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.NIANGJIA_TRUSTED_PROXIES = [PROXY, "192.168.50.0/24"]


def _request(remote: str, **headers: str):
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def _login(client, **extra):
    client.post("/login/", {"username": "yl_staff", "password": PASSWORD}, **extra)
    return AuditEntry.objects.filter(action="orgs.staff.login").latest("id")


def test_forged_forwarded_for_from_a_client_is_ignored_by_the_audit(client, tree):
    entry = _login(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert entry.ip == "203.0.113.7"


def test_behind_a_trusted_proxy_the_real_client_is_audited(client, tree, behind_proxy):
    entry = _login(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert entry.ip == "198.51.100.23"


def test_chain_is_walked_from_the_right_past_trusted_proxies(behind_proxy):
    forged_then_real = _request(PROXY, **{"X-Forwarded-For": "1.2.3.4, 198.51.100.23, 192.168.50.9"})
    assert client_ip(forged_then_real) == "198.51.100.23"


def test_garbage_in_the_chain_stops_at_the_last_trusted_hop(behind_proxy):
    assert client_ip(_request(PROXY, **{"X-Forwarded-For": "<script>, 192.168.50.9"})) == "192.168.50.9"
    assert client_ip(_request(PROXY, **{"X-Forwarded-For": "not-an-ip"})) == PROXY


def test_without_trusted_proxies_only_the_connection_counts():
    assert client_ip(_request("203.0.113.7", **{"X-Forwarded-For": "1.2.3.4"})) == "203.0.113.7"
    assert client_ip(_request("::ffff:1.2.3.4")) == "::ffff:102:304"
    assert client_ip(_request("")) is None


def test_proxy_sent_request_id_links_the_logs(client, tree, behind_proxy):
    response = client.get("/login/", REMOTE_ADDR=PROXY, HTTP_X_REQUEST_ID="0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    assert response["X-Request-ID"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.mark.parametrize(
    "sent",
    [
        "short",  # under 8
        "a" * 65,  # overlong
        "abc def 123",  # a space
        "req-1<script>alert(1)</script>",
        "id\r\nSet-Cookie: x=1",
        "请求编号请求编号",
    ],
)
def test_odd_request_ids_are_never_stored(client, tree, behind_proxy, sent):
    entry = _login(client, REMOTE_ADDR=PROXY, HTTP_X_REQUEST_ID=sent)
    assert entry.request_id != sent and len(entry.request_id) == 32
    assert int(entry.request_id, 16) >= 0


def test_a_well_formed_request_id_from_a_client_is_ignored(client, tree):
    entry = _login(client, REMOTE_ADDR="203.0.113.7", HTTP_X_REQUEST_ID="forged-request-id-0001")
    assert entry.request_id != "forged-request-id-0001" and len(entry.request_id) == 32
    assert forwarded_request_id(_request("203.0.113.7", **{"X-Request-ID": "forged-request-id-0001"})) is None
