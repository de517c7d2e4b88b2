"""Web pages of roster import: upload → preview with errors → confirm → result.

The upload is kept by `core/tabular/uploads.py` (MEDIA_ROOT/imports/<uuid>/, beside a small JSON
file of who uploaded it and what the preview found); only its uploader can see it. The
preview is a dry run; confirming runs the import again, for real, on the same
file (so the database is checked again at that moment).
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from niangjia.core.scoping import Action, require_action
from niangjia.core.tabular.reading import max_bytes
from niangjia.core.tabular.rows import ignored_text
from niangjia.core.tabular.uploads import Upload, upload_load, upload_store
from niangjia.orgs.auth import staff_of
from niangjia.registry.forms.imports import ImportUploadForm
from niangjia.registry.importing import KIND_LABELS, KINDS, ImportFileError, ImportResult, import_file, report_write
from niangjia.registry.importing.report import summary_line
from niangjia.registry.importing.template import template_filename, template_write

SHOWN_ERRORS = 200


def _load(request: HttpRequest, token: uuid.UUID) -> Upload:
    return upload_load(user_id=staff_of(request).pk, token=token)


def _save(upload: Upload, result: ImportResult, stage: str) -> None:
    upload.meta[stage] = result.as_dict()
    upload.save()
    report_write(result, str(upload.folder / f"{stage}-report.xlsx"))


def _run(request: HttpRequest, upload: Upload, *, dry_run: bool) -> ImportResult:
    meta = upload.meta
    return import_file(
        kind=meta["kind"], path=upload.source, user=staff_of(request),
        dry_run=dry_run, good_rows_only=meta["good_rows_only"], file_label=meta["name"],
        disclosed=meta.get("preview", {}).get("found_elsewhere", []),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def import_upload_view(request: HttpRequest) -> HttpResponse:
    """Choose a kind and a file; the file is checked (nothing written) and the preview shown."""
    require_action(staff_of(request), Action.CHANGE)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = upload_store(
            user_id=staff_of(request).pk, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"],
            good_rows_only=form.cleaned_data["good_rows_only"],
        )  # fmt: skip
        try:
            result = _run(request, upload, dry_run=True)
        except (ImportFileError, PermissionDenied) as exc:
            upload.discard()
            form.add_error("file", str(exc))
        else:
            _save(upload, result, "preview")
            return redirect("registry:import_preview", token=upload.token)
    context = {"form": form, "kinds": list(KIND_LABELS.items()), "max_mb": max_bytes() // (1024 * 1024)}
    return render(request, "registry/import_upload.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview_view(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Show what the import would do; on POST (the confirm button) do it."""
    require_action(staff_of(request), Action.CHANGE)
    upload = _load(request, token)
    meta = upload.meta
    if "result" in meta:
        return redirect("registry:import_result", token=token)
    if request.method == "POST":
        meta["good_rows_only"] = bool(request.POST.get("good_rows_only")) or meta["good_rows_only"]
        try:
            result = _run(request, upload, dry_run=False)
        except (ImportFileError, PermissionDenied) as exc:
            raise Http404(str(exc)) from exc
        _save(upload, result, "result")
        if result.committed:
            upload.source.unlink(missing_ok=True)  # the data is in the database now
        return redirect("registry:import_result", token=token)
    return _render(request, "registry/import_preview.html", token, meta, ImportResult.from_dict(meta["preview"]))


@login_required
def import_result_view(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The outcome of a confirmed import."""
    meta = _load(request, token).meta
    if "result" not in meta:
        return redirect("registry:import_preview", token=token)
    return _render(request, "registry/import_result.html", token, meta, ImportResult.from_dict(meta["result"]))


def _render(
    request: HttpRequest, template: str, token: uuid.UUID, meta: dict[str, Any], result: ImportResult
) -> HttpResponse:
    context = {
        "token": token, "meta": meta, "result": result, "summary": summary_line(result),
        "ignored": ignored_text(result.ignored_headers),
        "kind_label": KIND_LABELS[meta["kind"]], "errors": result.errors[:SHOWN_ERRORS],
        "more_errors": max(result.error_count - SHOWN_ERRORS, 0),
        "can_commit": result.good_rows > 0 and (meta["good_rows_only"] or not result.error_rows),
    }  # fmt: skip
    return render(request, template, context)


@login_required
def import_report_view(request: HttpRequest, token: uuid.UUID) -> FileResponse:
    """Download the error report (of the result if confirmed, else of the preview)."""
    upload = _load(request, token)
    meta = upload.meta
    stage = "result" if "result" in meta else "preview"
    path = upload.folder / f"{stage}-report.xlsx"
    if not path.is_file():
        raise Http404("错误清单不存在。")
    name = f"{Path(meta['name']).stem}-错误清单.xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


@login_required
def import_template_view(request: HttpRequest, kind: str) -> FileResponse:
    """Download the blank template of a kind."""
    if kind not in KINDS:
        raise Http404("没有这种导入模板。")
    stream = io.BytesIO()
    template_write(kind, stream)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=template_filename(kind))
