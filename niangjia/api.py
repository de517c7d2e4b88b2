"""The HTTP API (django-ninja): one instance, routers from each app, one error envelope.

Every error answers `{"error": {"code": ..., "message": ..., "details": ...}}`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from niangjia.api_errors import schema_error_details, schema_error_message
from niangjia.assistance.api import router as assistance_router
from niangjia.core.api import router as core_router
from niangjia.core.apidocs import docs_access
from niangjia.core.disclosure import DisclosureLimitReached
from niangjia.funds.api import router as funds_router
from niangjia.orgs.api import router as orgs_router
from niangjia.orgs.services import token_authenticate
from niangjia.outreach.api import router as outreach_router
from niangjia.registry.api import router as registry_router
from niangjia.registry.api_transfers import router as transfers_router
from niangjia.registry.services.workers import WorkerRegisteredElsewhere
from niangjia.reports.api import router as reports_router
from niangjia.screening.api import router as screening_router
from niangjia.tickets.api import router as tickets_router


class BearerToken(HttpBearer):
    """`Authorization: Bearer nj_…` tokens created with `niangjia token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="娘家 niangjia API",
    version="1",
    description="工会一线服务平台接口。所有数据按调用者在工会组织树中的位置授权。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=docs_access,
)


def _envelope(request: HttpRequest, status: int, code: str, message: str, details: Any = None) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _envelope(request, 403, "forbidden", str(exc) or "无权访问。")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _envelope(request, 404, "not_found", "记录不存在或不在您的管辖范围内。")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(details.items()), None)
    reason = f"：{first[1][0]}" if first and first[1] else "。"
    return _envelope(request, 422, "invalid", f"提交的数据有误{reason}", details)


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = schema_error_details(list(exc.errors))
    return _envelope(request, 422, "invalid", schema_error_message(details), details)


@api.exception_handler(IntegrityError)
def _conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # A uniqueness race that full_clean() could not see coming (two requests at once).
    return _envelope(request, 409, "conflict", "与已有记录冲突，请刷新后重试。")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _envelope(request, 401, "unauthenticated", "请先登录或提供有效的接口令牌。")


@api.exception_handler(WorkerRegisteredElsewhere)
def _registered_elsewhere(request: HttpRequest, exc: WorkerRegisteredElsewhere) -> HttpResponse:
    # Only roles that may register at the target get here, within their hourly disclosure budget.
    details = {**exc.message_dict, "transfer": "POST /api/registry/transfers"}
    return _envelope(request, 409, "registered_elsewhere", exc.messages[0], details)


@api.exception_handler(DisclosureLimitReached)
def _too_many_disclosures(request: HttpRequest, exc: DisclosureLimitReached) -> HttpResponse:
    return _envelope(request, 429, "too_many_disclosures", str(exc))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # ninja's answer to a body that is not JSON: in the envelope, like every other invalid input.
        details = [{"in": "请求体", "field": "", "type": "json_invalid", "message": "不是有效的 JSON。"}]
        return _envelope(request, 422, "invalid", "提交的数据格式有误：请求体不是有效的 JSON。", details)
    return _envelope(request, exc.status_code, "error", str(exc))


api.add_router("/audit", core_router, tags=["审计"])
api.add_router("/orgs", orgs_router, tags=["组织"])
api.add_router("/registry", registry_router, tags=["名册"])
api.add_router("/registry/transfers", transfers_router, tags=["名册"])
api.add_router("/screening", screening_router, tags=["政策找人"])
api.add_router("/tickets", tickets_router, tags=["诉求工单"])
api.add_router("/outreach", outreach_router, tags=["大走访"])
api.add_router("/funds", funds_router, tags=["帮扶资金"])
api.add_router("/assistance", assistance_router, tags=["帮扶申请"])
api.add_router("/reports", reports_router, tags=["统计报表"])
