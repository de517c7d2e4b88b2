"""Who may read the API's schema and docs pages: anyone in development, signed-in staff in production."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse

View = Callable[..., HttpResponse]


def docs_access(view: View) -> View:
    """Let the docs view through if `NIANGJIA_API_DOCS_PUBLIC` or the user is signed in.

    Read per request, not when the API is built, so that settings stay the only switch.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.NIANGJIA_API_DOCS_PUBLIC or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            error = {"code": "unauthenticated", "message": "请先登录。", "details": None}
            return JsonResponse({"error": error}, status=401, json_dumps_params={"ensure_ascii": False})
        return redirect_to_login(request.get_full_path())

    return guarded
