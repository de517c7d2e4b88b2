"""Per-request facts (request id, client IP) that services stamp on audit entries.

Held in context variables so that services need no request argument; tasks and
commands run with the defaults (no request id, no IP).
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    ip: str | None = None


# A frozen dataclass: the shared default can never be mutated.
_current: contextvars.ContextVar[RequestInfo] = contextvars.ContextVar(
    "niangjia_request",
    default=RequestInfo(),  # noqa: B039
)


def current_request() -> RequestInfo:
    """Return the facts of the request being served, or empty ones outside a request."""
    return _current.get()


@contextmanager
def request_scope(*, request_id: str | None = None, ip: str | None = None) -> Iterator[RequestInfo]:
    """Bind request facts for the duration of a block."""
    info = RequestInfo(request_id=request_id or uuid.uuid4().hex, ip=ip)
    token = _current.set(info)
    try:
        yield info
    finally:
        _current.reset(token)
