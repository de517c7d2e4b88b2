"""The API's error envelope, declared once: its schema, the status codes and Chinese messages.

Every error answers `{"error": {"code": ..., "message": ..., "details": ...}}`; the routers
list the statuses an operation can answer with `errors(...)`, so the OpenAPI document
tells clients what to expect.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema

from niangjia.api_fields import NO_NUL


class ErrorBody(Schema):
    code: str
    message: str
    details: dict[str, Any] | list[Any] | None = None


class ErrorOut(Schema):
    """The error envelope."""

    error: ErrorBody


# Every operation needs a signed-in user or a token, and checks its parameters.
AUTH_AND_INPUT = (401, 422)


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """Response declarations for the error statuses `codes` (plus 401 and 422, which every operation has)."""
    return {code: ErrorOut for code in sorted({*AUTH_AND_INPUT, *codes})}


# Pydantic error types, in Chinese; `{…}` are filled from the error's context.
_MESSAGES = {
    "missing": "必须填写。",
    "string_type": "应为文本。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数，不能有小数。",
    "int_parsing_size": "数字过大。",
    "float_type": "应为数字。",
    "float_parsing": "应为数字。",
    "decimal_type": "应为数字。",
    "decimal_parsing": "应为数字。",
    "finite_number": "应为有限的数字。",
    "decimal_max_digits": "数字位数过多（最多 {max_digits} 位）。",
    "decimal_max_places": "最多保留 {decimal_places} 位小数。",
    "decimal_whole_digits": "整数部分位数过多（最多 {whole_digits} 位）。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "date_type": "应为日期，如 2025-03-01。",
    "date_parsing": "应为日期，如 2025-03-01。",
    "date_from_datetime_parsing": "应为日期，如 2025-03-01。",
    "date_from_datetime_inexact": "应为日期，不带时间。",
    "datetime_type": "应为日期时间，如 2025-03-01T08:00:00+08:00。",
    "datetime_parsing": "应为日期时间，如 2025-03-01T08:00:00+08:00。",
    "greater_than": "应大于 {gt}。",
    "greater_than_equal": "不能小于 {ge}。",
    "less_than": "应小于 {lt}。",
    "less_than_equal": "不能大于 {le}。",
    "string_too_short": "至少 {min_length} 个字。",
    "string_too_long": "最多 {max_length} 个字。",
    "string_pattern_mismatch": "格式不对。",
    "nul_character": "不能含空字符（\\x00）。",
    "enum": "应为以下之一：{expected}。",
    "literal_error": "应为以下之一：{expected}。",
    "list_type": "应为列表。",
    "dict_type": "应为 JSON 对象。",
    "model_type": "应为 JSON 对象。",
    "model_attributes_type": "应为 JSON 对象。",
    "json_invalid": "不是有效的 JSON。",
    "json_type": "不是有效的 JSON。",
    "extra_forbidden": "不接受这一项。",
    "value_error": "取值有误。",
}
_WHERE = {"body": "请求体", "query": "查询参数", "path": "路径参数", "header": "请求头", "cookie": "Cookie"}


def schema_error_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Pydantic's errors as [{"in", "field", "type", "message"}], messages in Chinese, inputs not echoed."""
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        where = loc[0] if loc else ""
        # Body errors name the handler's parameter second (body.payload.name): drop it.
        field = ".".join(loc[2:] if where == "body" and len(loc) > 2 else loc[1:])
        kind = str(error.get("type", ""))
        context = {key: _shown(value) for key, value in (error.get("ctx") or {}).items()}
        if kind == "string_pattern_mismatch" and context.get("pattern") == NO_NUL:
            kind = "nul_character"
        if "expected" in context:
            context["expected"] = context["expected"].replace(" or ", ", ")
        try:
            message = _MESSAGES.get(kind, "格式有误。").format(**context)
        except (KeyError, IndexError):
            message = "格式有误。"
        out.append({"in": _WHERE.get(where, where), "field": field, "type": kind, "message": message})
    return out


def schema_error_message(details: list[dict[str, str]]) -> str:
    """One Chinese sentence naming the first few fields at fault."""
    parts = [f"{d['field'] or d['in']}：{d['message'].rstrip('。')}" for d in details[:3]]
    more = f"（共 {len(details)} 处）" if len(details) > 3 else ""
    return "提交的数据格式有误：" + "；".join(parts) + more + "。"


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"
