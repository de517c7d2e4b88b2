"""Payment batch pages: the list, one batch (masked accounts), the audited transfer file, the bank's result file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from niangjia.core.scoping import Action, allows, can
from niangjia.core.tabular.reading import max_bytes
from niangjia.funds import selectors
from niangjia.funds.choices import BatchStatus, ExportFormat
from niangjia.funds.forms import ResultFileForm
from niangjia.funds.models import PaymentBatch
from niangjia.funds.services import BatchImportResult, payment_batch_export, payment_batch_import
from niangjia.orgs.auth import staff_of


def _cursor(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 10 else 0


@login_required
def batch_list_view(request: HttpRequest) -> HttpResponse:
    """Payment batches in scope, newest first."""
    user = staff_of(request)
    status = request.GET.get("status", "")
    status = status if status in BatchStatus.values else ""
    rows = selectors.batch_list(user=user, status=status)
    return render(request, "funds/batch_list.html", {"rows": rows, "status": status, "statuses": BatchStatus.choices})


@login_required
def batch_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_of(request)
    return _detail(request, selectors.batch_get(user=user, pk=pk))


def _detail(
    request: HttpRequest,
    batch: PaymentBatch,
    *,
    form: ResultFileForm | None = None,
    result: BatchImportResult | None = None,
    status: int = 200,
) -> HttpResponse:
    user = staff_of(request)
    after = _cursor(request.GET.get("after"))
    lines = selectors.batch_lines(user=user, batch=batch, after_seq=after, limit=selectors.PAGE_SIZE + 1)
    may_change = can(user, Action.CHANGE, batch)
    context = {
        "batch": batch,
        "lines": lines[: selectors.PAGE_SIZE],
        "next_after": lines[selectors.PAGE_SIZE - 1].seq if len(lines) > selectors.PAGE_SIZE else None,
        "paged": after > 0,
        "may_export": may_change and allows(user, Action.EXPORT) and allows(user, Action.REVEAL),
        "formats": ExportFormat.choices,
        "form": (form or ResultFileForm()) if may_change and batch.status == BatchStatus.PENDING else None,
        "result": result,
    }
    return render(request, "funds/batch_detail.html", context, status=status)


@login_required
@require_POST
def batch_export_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The bank transfer file with full account numbers (a POST: every download is an audited reveal)."""
    user = staff_of(request)
    batch = selectors.batch_get(user=user, pk=pk, action=Action.CHANGE)
    name, kind, content = payment_batch_export(batch=batch, fmt=fmt, actor=user)
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def batch_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the bank's result file; all rows or none, the bad ones listed by row and column."""
    user = staff_of(request)
    batch = selectors.batch_get(user=user, pk=pk, action=Action.CHANGE)
    form = ResultFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, batch, form=form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > max_bytes():
        form.add_error("file", f"文件过大：超过上限 {max_bytes() // 1024 // 1024} MB。")
        return _detail(request, batch, form=form, status=400)
    suffix = Path(upload.name or "").suffix.lower()
    suffix = suffix if suffix in {".xlsx", ".xls", ".csv"} else ""
    with tempfile.TemporaryDirectory(prefix="funds-result-") as folder:
        path = Path(folder) / f"result{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        result = payment_batch_import(batch=batch, path=path, actor=user)
    if not result.ok:
        return _detail(request, batch, form=ResultFileForm(), result=result, status=400)
    messages.success(
        request, f"已导入银行回执：支付成功 {result.paid} 笔，支付失败 {result.failed} 笔（资金已退回资金池），"
        f"此前已登记 {result.unchanged} 笔。"
    )  # fmt: skip
    return redirect("funds:batch_detail", pk=batch.pk)
