"""Paper: the application form and the approval sheet as PDF (WeasyPrint, Noto Sans CJK SC), ready to print and sign."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, {**context, "printed_at": timezone.localtime()})
    return bytes(HTML(string=html).write_pdf())


def application_form_pdf(*, application: Any, papers: list[Any], decision: Any) -> bytes:
    """《帮扶申请表》: who, what policy, the engine's decision, the papers, the proxy's authorisation, signatures."""
    return _pdf("assistance/pdf/application.html", {"a": application, "papers": papers, "decision": decision})


def approval_sheet_pdf(*, title: str, rows: list[dict[str, Any]], org: Any, approver: Any, total: Any) -> bytes:
    """《帮扶审批表》: every household of a round (or one application) with its amount, the total, one signature."""
    return _pdf(
        "assistance/pdf/sheet.html", {"title": title, "rows": rows, "org": org, "approver": approver, "total": total}
    )
