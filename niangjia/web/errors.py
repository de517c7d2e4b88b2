"""Error pages: Chinese, inside the site's layout, with a way back; JSON under /api/.

The handlers are installed in `niangjia/urls.py` and `CSRF_FAILURE_VIEW`. With DEBUG on
Django answers a URL that matches nothing with its technical page, which lists every
URL pattern; `NotFoundPageMiddleware` answers with our page instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from niangjia.core.context import current_request

logger = logging.getLogger(__name__)

_API_MESSAGES = {
    403: ("forbidden", "无权访问。"),
    404: ("not_found", "接口不存在。"),
    500: ("server_error", "服务器内部错误，请稍后再试。"),
}

# Used if even the 500 template cannot be rendered (a broken installation).
_BARE_500 = (
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>服务器出错了 · 娘家</title>'
    '<h1>服务器出错了</h1><p>系统处理您的请求时出错，请稍后再试。</p><p><a href="/">返回首页</a></p></html>'
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, code: str = "", message: str = "") -> JsonResponse:
    default_code, default_message = _API_MESSAGES[status]
    body = {"error": {"code": code or default_code, "message": message or default_message, "details": None}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Say the page does not exist; never which pages do."""
    if _is_api(request):
        return _api_error(404)
    return render(request, "web/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Say the user may not see this page."""
    if _is_api(request):
        return _api_error(403)
    return render(request, "web/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Apologize, without the request context (its processors may be what failed)."""
    request_id = current_request().request_id
    if _is_api(request):
        return _api_error(500, message=f"服务器内部错误，请稍后再试（请求编号 {request_id}）。")
    try:
        body = loader.get_template("web/500.html").render({"request_id": request_id})
    except Exception:  # the page of last resort must not fail in turn
        logger.exception("The 500 page could not be rendered")
        body = _BARE_500
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a refused form (expired page or cookies off) and how to send it again."""
    if _is_api(request):
        return _api_error(403, "csrf_failed", "请求未通过 CSRF 校验，请刷新页面后重试。")
    return render(request, "web/403_csrf.html", status=403)


class NotFoundPageMiddleware:
    """With DEBUG on, answer "not found" with our page, not Django's list of URL patterns."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No resolver match: no URL pattern matched, so this 404 is Django's, not a view's.
        if settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
