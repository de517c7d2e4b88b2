"""Middleware binding each request's id and client IP for audit entries.

Forwarding headers (X-Forwarded-For, X-Request-ID) are believed only when the
connection comes from a proxy listed in `NIANGJIA_TRUSTED_PROXIES`; anyone else
could write anything there, and the audit log must not record what a client claims.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from niangjia.core.context import request_scope

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Long enough for a UUID or nginx's $request_id, short enough for the audit column; no spaces or markup.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9-]{8,64}")


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted_networks() -> tuple[IPNetwork, ...]:
    return _networks(tuple(getattr(settings, "NIANGJIA_TRUSTED_PROXIES", ())))


def _parse_ip(raw: str) -> str | None:
    """Return `raw` as a normalized IP address, or None if it is not one."""
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def _is_trusted(ip: str, networks: Iterable[IPNetwork]) -> bool:
    address = ipaddress.ip_address(ip)
    return any(address in network for network in networks)


def is_trusted_proxy(request: HttpRequest) -> bool:
    """Return whether the request's connection comes from a configured proxy."""
    remote = _parse_ip(request.META.get("REMOTE_ADDR", ""))
    return remote is not None and _is_trusted(remote, _trusted_networks())


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address: REMOTE_ADDR, or behind trusted proxies the first untrusted hop.

    X-Forwarded-For is walked from the right, because each proxy appends the address it
    received the connection from: only the entries added by trusted proxies can be believed.
    """
    networks = _trusted_networks()
    address = _parse_ip(request.META.get("REMOTE_ADDR", ""))
    if address is None or not _is_trusted(address, networks):
        return address
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not hop.strip():
            continue
        parsed = _parse_ip(hop)
        if parsed is None:
            # A malformed entry: the last proxy we trust is the best we know.
            return address
        address = parsed
        if not _is_trusted(address, networks):
            return address
    return address


def forwarded_request_id(request: HttpRequest) -> str | None:
    """Return the X-Request-ID a trusted proxy sent, if it is well formed; otherwise None."""
    incoming = request.headers.get("X-Request-ID", "")
    if incoming and REQUEST_ID_PATTERN.fullmatch(incoming) and is_trusted_proxy(request):
        return incoming
    return None


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-ID) and remember its IP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope(request_id=forwarded_request_id(request), ip=client_ip(request)) as info:
            request.request_id = info.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = info.request_id
        return response
