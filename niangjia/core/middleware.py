"""Middleware binding each request's id and client IP for audit entries."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from niangjia.core.context import request_scope


def client_ip(request: HttpRequest) -> str | None:
    """Return the client address; behind a proxy, its first forwarded hop."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-ID) and remember its IP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")[:64] or None
        with request_scope(request_id=incoming, ip=client_ip(request)) as info:
            request.request_id = info.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = info.request_id
        return response
