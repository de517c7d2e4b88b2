"""Send a user who must replace a one-time password to the change-password page, and nowhere else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a user with a one-time password may still reach: changing it, signing out, static files.
_OPEN_NAMES = ("orgs:password_change", "web:logout", "web:login")


class PasswordChangeRequiredMiddleware:
    """Until a user with `must_change_password` sets their own password, every page redirects to the form.

    The API (session-authenticated) answers 403 in the error envelope instead; token-authenticated
    calls never reach here as such a user, since a password reset revokes the user's tokens.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        forced = user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
        if not forced or self._open(request.path):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = "请先在网页上修改一次性密码后再使用接口。"
            body = {"error": {"code": "password_change_required", "message": message, "details": None}}
            return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
        return redirect("orgs:password_change")

    @staticmethod
    def _open(path: str) -> bool:
        from django.conf import settings

        static = str(getattr(settings, "STATIC_URL", "/static/") or "/static/")
        return path.startswith(static) or path in {reverse(name) for name in _OPEN_NAMES}
