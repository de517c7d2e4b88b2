"""Template filters of the funds pages: a caller's reference and a ledger line as people read them."""

from __future__ import annotations

from django import template

register = template.Library()

_PREFIXES = {"application": "申请", "allocation": "拨入", "household": "家庭", "batch-line": "代发明细"}


@register.filter
def reference_label(value: str) -> str:
    """ "application:45" → "申请 #45"; an unknown kind keeps its text after "业务"."""
    kind, sep, rest = (value or "").partition(":")
    if not sep:
        return value or ""
    label = _PREFIXES.get(kind)
    return f"{label} #{rest}" if label else f"业务 {value}"
