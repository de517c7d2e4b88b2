"""The staff roster import: upload → preview (a dry run) → confirm → result and the one-time passwords.

The upload is kept by `core/tabular/uploads.py` under MEDIA_ROOT/imports/staff/<uuid>/; only its
uploader sees it. Confirming runs the import again, for
real. The passwords are written encrypted with the data key (core/keys.py) and can be
downloaded once: the download deletes them.
"""

from __future__ import annotations

import base64
import io
import uuid
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from niangjia.core.audit import audit_record
from niangjia.core.crypto import decrypt, encrypt
from niangjia.core.keys import keyring
from niangjia.core.scoping import Action, require_action
from niangjia.core.tabular.errors import ImportFileError
from niangjia.core.tabular.reading import check_size, max_bytes
from niangjia.core.tabular.uploads import Upload, upload_load, upload_store
from niangjia.orgs.auth import staff_of
from niangjia.orgs.forms import StaffImportForm
from niangjia.orgs.import_files import TEMPLATE_FILENAME, errors_write, passwords_write, template_write
from niangjia.orgs.importing import COLUMNS, StaffImportResult, staff_import
from niangjia.orgs.models import StaffUser

SHOWN_ERRORS = 200
SHOWN_ACCOUNTS = 100
_PASSWORDS = "passwords.enc"
_CONTEXT = "orgs.staff_import.passwords"
_AREA = "staff"  # uploads under MEDIA_ROOT/imports/staff/


def _manager(request: HttpRequest) -> StaffUser:
    user = staff_of(request)
    require_action(user, Action.MANAGE_STAFF)
    return user


def _load(request: HttpRequest, token: uuid.UUID) -> Upload:
    return upload_load(user_id=staff_of(request).pk, token=token, area=_AREA)


def _save(upload: Upload, result: StaffImportResult, stage: str) -> None:
    upload.meta[stage] = result.as_dict()
    upload.save()


def _run(request: HttpRequest, upload: Upload, *, dry_run: bool) -> StaffImportResult:
    return staff_import(
        path=upload.source, actor=staff_of(request), dry_run=dry_run,
        good_rows_only=upload.meta["good_rows_only"], file_label=upload.meta["name"],
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def import_upload_view(request: HttpRequest) -> HttpResponse:
    """Choose a file; it is checked (nothing written) and the preview shown."""
    _manager(request)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return _accept(request, form, upload)
    context = {"form": form, "max_mb": max_bytes() // (1024 * 1024), "columns": COLUMNS}
    return render(request, "orgs/import_upload.html", context, status=400 if form.errors else 200)


def _accept(request: HttpRequest, form: StaffImportForm, upload: Any) -> HttpResponse:
    stored = upload_store(
        user_id=staff_of(request).pk, upload=upload, area=_AREA, good_rows_only=form.cleaned_data["good_rows_only"]
    )
    try:
        result = _run(request, stored, dry_run=True)
    except (ImportFileError, PermissionDenied) as exc:
        stored.discard()
        form.add_error("file", str(exc))
        context = {"form": form, "max_mb": max_bytes() // (1024 * 1024), "columns": COLUMNS}
        return render(request, "orgs/import_upload.html", context, status=400)
    _save(stored, result, "preview")
    return redirect("orgs:import_preview", token=stored.token)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview_view(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Show what the import would do; on POST (the confirm button) do it."""
    _manager(request)
    upload = _load(request, token)
    meta = upload.meta
    if "result" in meta:
        return redirect("orgs:import_result", token=token)
    if request.method == "POST":
        meta["good_rows_only"] = bool(request.POST.get("good_rows_only")) or meta["good_rows_only"]
        try:
            result = _run(request, upload, dry_run=False)
        except (ImportFileError, PermissionDenied) as exc:
            raise Http404(str(exc)) from exc
        if result.committed:
            stream = io.BytesIO()
            passwords_write(result, stream)
            token_text = encrypt(keyring(), base64.b64encode(stream.getvalue()).decode(), context=_CONTEXT)
            (upload.folder / _PASSWORDS).write_text(token_text, encoding="ascii")
            upload.source.unlink(missing_ok=True)  # the data is in the database now
        _save(upload, result, "result")
        return redirect("orgs:import_result", token=token)
    return _render(request, "orgs/import_preview.html", token, meta, StaffImportResult.from_dict(meta["preview"]))


@login_required
def import_result_view(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The outcome of a confirmed import, and the one download of the passwords."""
    _manager(request)
    meta = _load(request, token).meta
    if "result" not in meta:
        return redirect("orgs:import_preview", token=token)
    return _render(request, "orgs/import_result.html", token, meta, StaffImportResult.from_dict(meta["result"]))


@never_cache
@login_required
@require_POST
def import_passwords_view(request: HttpRequest, token: uuid.UUID) -> FileResponse:
    """Download the one-time passwords of an import, once: the file is deleted as it is sent."""
    user = _manager(request)
    upload = _load(request, token)
    meta, path = upload.meta, upload.folder / _PASSWORDS
    try:
        sealed = path.read_text(encoding="ascii")
    except OSError:
        raise Http404("初始密码已经下载过（只能下载一次）。如有遗失，请在工作人员页面逐人重置密码。") from None
    path.unlink(missing_ok=True)
    data = base64.b64decode(decrypt(keyring(), sealed, context=_CONTEXT))
    with transaction.atomic():
        audit_record(
            actor=user, action="orgs.staff.passwords_download", target_label=f"导入{meta['name']}",
            new={"accounts": meta["result"]["new"]},
        )  # fmt: skip
    name = f"{Path(meta['name']).stem}-初始密码.xlsx"
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=name)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def import_errors_view(request: HttpRequest, token: uuid.UUID) -> FileResponse:
    """Download the error list (of the result if confirmed, else of the preview)."""
    _manager(request)
    meta = _load(request, token).meta
    result = StaffImportResult.from_dict(meta.get("result") or meta["preview"])
    stream = io.BytesIO()
    errors_write(result, stream)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=f"{Path(meta['name']).stem}-错误清单.xlsx")


@login_required
def import_template_view(request: HttpRequest) -> FileResponse:
    """Download the blank template."""
    _manager(request)
    stream = io.BytesIO()
    template_write(stream)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=TEMPLATE_FILENAME)


def _render(
    request: HttpRequest, template: str, token: uuid.UUID, meta: dict[str, Any], result: StaffImportResult
) -> HttpResponse:
    context = {
        "token": token, "meta": meta, "result": result, "summary": result.summary(),
        "errors": result.errors[:SHOWN_ERRORS], "more_errors": max(result.error_count - SHOWN_ERRORS, 0),
        "accounts": result.accounts[:SHOWN_ACCOUNTS], "more_accounts": max(len(result.accounts) - SHOWN_ACCOUNTS, 0),
        "can_commit": result.new > 0 and (meta["good_rows_only"] or not result.error_rows),
        "passwords_waiting": (_load(request, token).folder / _PASSWORDS).is_file(),
    }  # fmt: skip
    return render(request, template, context)
