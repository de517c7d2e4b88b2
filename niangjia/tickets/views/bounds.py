"""Upload pages read no body larger than every file at its limit (`uploads.max_body`).

The size the client declares is checked before the CSRF check would parse the body, so a 50 MB post is refused
unread with 413 (the web server's own body limit is the first bound: docs/tickets.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from niangjia.tickets import uploads

View = Callable[..., HttpResponse]


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def bounded_upload(view: View) -> View:
    """Refuse a POST whose body is larger than an upload may be, before anything reads it; then check CSRF."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and declared_length(request) > uploads.max_body():
            context = {"message": uploads.too_large_message()}
            return render(request, "tickets/too_large.html", context, status=413)
        return protected(request, *args, **kwargs)

    return wrapper
