"""What the assistance pages share: refusals as Chinese messages, the bound on an upload's body."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def refused(request: HttpRequest, error: ValidationError, prefix: str = "") -> None:
    """Show a service's refusal; nothing was written."""
    messages.error(request, prefix + "；".join(error.messages))


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def int_or_none(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None
