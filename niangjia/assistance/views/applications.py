"""Application pages: 去办理 (a new application prefilled from the engine), the list, one application
with its checklist, uploads and moves, the scoped file view and the paper forms."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.assistance import decisions
from niangjia.assistance.choices import ApplicationStatus, PaperHolder
from niangjia.assistance.forms import ApplyForm, MoveForm, ReceiveForm, UploadForm, errors_text
from niangjia.assistance.pdf import application_form_pdf, approval_sheet_pdf
from niangjia.assistance.selectors import applications as selectors
from niangjia.assistance.services import (
    application_approve,
    application_file,
    application_pay,
    application_reject,
    application_release,
    application_submit,
    application_withdraw,
    paper_file_add,
    paper_receive,
)
from niangjia.assistance.services.papers import paper_file_open
from niangjia.assistance.uploads import max_bytes
from niangjia.assistance.views.common import declared_length, int_or_none, refused
from niangjia.core.filtering import filter_fields
from niangjia.core.scoping import Action, allows, require_action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors
from niangjia.rules import NOT_ELIGIBLE


@login_required
def apply_view(request: HttpRequest) -> HttpResponse:
    """去办理: a household's application for one policy, prefilled with the engine's outcome today and the
    papers still missing as its checklist; filed on the worker's behalf or as their own."""
    user = staff_of(request)
    require_action(user, Action.SENSITIVE)
    source = request.POST if request.method == "POST" else request.GET
    household_id = int_or_none(source.get("household"))
    policy_id = str(source.get("policy", ""))[:64]
    if household_id is None or not policy_id:
        raise Http404
    data = registry_selectors.household_get(user=user, pk=household_id)
    household = data["household"]
    member_id = int_or_none(source.get("member"))
    member = next((m for m in data["members"] if m.pk == member_id), None) if member_id else None
    try:
        policy = decisions.payable_policy(policy_id)
    except ValidationError as exc:
        refused(request, exc)
        return redirect("assistance:queue")
    today = timezone.localdate()
    outcome = decisions.evaluate(
        household_id=household.pk, policy=policy, member_id=member.pk if member else None, as_of=today
    )
    required = decisions.papers_required(household_id=household.pk, policy=policy, member_id=member.pk if member else None, as_of=today) if outcome else []  # fmt: skip
    existing = selectors.open_application(
        user=user, household_id=household.pk, policy_id=policy.id, member_id=member_id
    )
    form = ApplyForm(request.POST or None, initial={"member": member_id, "authorised_on": today})
    if request.method == "POST" and existing is None and form.is_valid():
        if not allows(user, Action.CHANGE):
            raise PermissionDenied("您的角色不能登记申请。")
        values = form.cleaned_data
        try:
            application = application_file(
                actor=user, household=household, policy_id=policy.id, member=member,
                filed_by_proxy=values["filed_by_proxy"], authorisation=values["authorisation"],
                authorised_on=values["authorised_on"], authorisation_note=values["authorisation_note"],
                note=values["note"],
            )  # fmt: skip
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, f"已登记申请 #{application.pk}，请收集并上传清单中的材料。")
            return redirect("assistance:application", pk=application.pk)
    elif request.method == "POST" and not form.is_valid():
        messages.error(request, errors_text(form))
    context = {
        "h": data,
        "policy": policy,
        "member": member,
        "outcome": outcome,
        "reasons": [r for r in ((outcome or {}).get("reasons") or "").split("；") if r],
        "eligible": outcome is not None and outcome["status"] != NOT_ELIGIBLE,
        "required": required,
        "missing": list((outcome or {}).get("missing_documents") or []),
        "existing": existing,
        "form": form,
        "can_file": allows(user, Action.CHANGE),
        "today": today,
    }
    return render(request, "assistance/apply.html", context, status=400 if request.method == "POST" else 200)


@login_required
def application_list_view(request: HttpRequest) -> HttpResponse:
    """Applications in scope, newest first; 待我审批 for approvers."""
    user = staff_of(request)
    filters = selectors.ApplicationFilter.from_query(request.GET)
    before = int_or_none(request.GET.get("before"))
    rows = selectors.application_list(user=user, filters=filters, before_id=before)
    choices = selectors.application_choices(user=user)
    context = {
        "rows": rows,
        "filters": filters,
        "fields": filter_fields(filters, choices),
        "next_query": filters.query(before=rows[-1].pk) if len(rows) == selectors.PAGE_SIZE else "",
    }
    return render(request, "assistance/applications.html", context)


@login_required
def application_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: who, what, the engine's decisions, the checklist with uploads, the timeline, the moves."""
    user = staff_of(request)
    application = selectors.application_get(user=user, pk=pk)
    detail = selectors.application_detail(user=user, application=application)
    editable = application.status in (ApplicationStatus.DRAFT, ApplicationStatus.REJECTED) and allows(
        user, Action.CHANGE
    )
    context = {
        "a": application,
        **detail,
        "editable": editable,
        "upload_form": UploadForm(),
        "receive_form": ReceiveForm(initial={"received_on": timezone.localdate(), "holder": PaperHolder.CADRE}),
        "can_release": application.status == ApplicationStatus.APPROVED
        and any(m.move == "pay" for m in detail["moves"]),
        "max_mb": max_bytes() // (1024 * 1024),
    }
    return render(request, "assistance/application.html", context)


MOVES = {
    "submit": lambda user, a, note: application_submit(actor=user, application=a, note=note),
    "resubmit": lambda user, a, note: application_submit(actor=user, application=a, note=note),
    "approve": lambda user, a, note: application_approve(actor=user, application=a, note=note),
    "reject": lambda user, a, note: application_reject(actor=user, application=a, reason=note),
    "withdraw": lambda user, a, note: application_withdraw(actor=user, application=a, reason=note),
    "pay": lambda user, a, note: application_pay(actor=user, application=a),
    "release": lambda user, a, note: application_release(actor=user, application=a, reason=note),
}
DONE = {"submit": "已提交审批。", "resubmit": "已重新提交。", "approve": "已批准，资金已占用。", "reject": "已退回。",
        "withdraw": "已撤回。", "pay": "已发放。", "release": "已撤销审批，资金已退回资金池。"}  # fmt: skip


@login_required
@require_POST
def move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit, approve, reject, pay, withdraw or release; a refusal is shown and changes nothing."""
    user = staff_of(request)
    application = selectors.application_get(user=user, pk=pk, action=Action.CHANGE)
    form = MoveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["move"] not in MOVES:
        messages.error(request, "没有这一办理操作。")
        return redirect("assistance:application", pk=pk)
    move = form.cleaned_data["move"]
    if move == "release" and not form.cleaned_data["note"].strip():
        messages.error(request, "撤销审批须填写原因。")
        return redirect("assistance:application", pk=pk)
    try:
        MOVES[move](user, application, form.cleaned_data["note"])
        messages.success(request, DONE[move])
    except ValidationError as exc:
        refused(request, exc)
    return redirect("assistance:application", pk=pk)


@login_required
def upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a scan or photo of a paper; a body over the bound is refused before it is read."""
    if request.method != "POST":
        return redirect("assistance:applications")
    user = staff_of(request)
    paper = selectors.paper_get(user=user, pk=pk)
    if declared_length(request) > max_bytes() + 64 * 1024:
        messages.error(request, f"文件不能超过 {max_bytes() // (1024 * 1024)} MB，请压缩或分页拍照后再上传。")
        return redirect("assistance:application", pk=paper.application_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assistance:application", pk=paper.application_id)
    try:
        paper_file_add(actor=user, paper=paper, upload=form.cleaned_data["file"], holder=form.cleaned_data["holder"])
        messages.success(request, f"已上传“{paper.kind}”。")
    except ValidationError as exc:
        refused(request, exc, prefix=f"“{paper.kind}”：")
    return redirect("assistance:application", pk=paper.application_id)


@login_required
@require_POST
def receive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A paper came in on paper (no scan): record it and who holds it."""
    user = staff_of(request)
    paper = selectors.paper_get(user=user, pk=pk)
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assistance:application", pk=paper.application_id)
    values = form.cleaned_data
    try:
        paper_receive(
            actor=user, paper=paper, received_on=values["received_on"], holder=values["holder"], note=values["note"]
        )
        messages.success(request, f"已登记收到“{paper.kind}”。")
    except ValidationError as exc:
        refused(request, exc)
    return redirect("assistance:application", pk=paper.application_id)


@login_required
def file_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A paper's file, to those who may see the application; every opening is audited."""
    user = staff_of(request)
    record = selectors.paper_file_get(user=user, pk=pk)
    handle = paper_file_open(actor=user, record=record)
    response = FileResponse(handle, content_type=record.content_type, as_attachment=False,
                            filename=f"{record.paper.kind}.{record.file.name.rsplit('.', 1)[-1]}")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def form_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """《帮扶申请表》 as PDF, to print and sign."""
    user = staff_of(request)
    application = selectors.application_get(user=user, pk=pk)
    decisions_kept = list(application.decisions.all())
    pdf = application_form_pdf(
        application=application, papers=list(application.papers.all()), decision=decisions_kept[-1]
    )
    return _pdf_response(pdf, f"帮扶申请表-{application.pk}.pdf")


@login_required
def sheet_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """《帮扶审批表》 of one approved application, as PDF."""
    user = staff_of(request)
    application = selectors.application_get(user=user, pk=pk)
    if application.decided_by is None or application.approved_amount is None:
        messages.error(request, "申请尚未批准，没有审批表。")
        return redirect("assistance:application", pk=pk)
    rows = [selectors.sheet_row(application)]
    pdf = approval_sheet_pdf(title=f"{application.policy_name} · 申请 #{application.pk}", rows=rows, org=application.org,
                             approver=application.decided_by, total=application.approved_amount)  # fmt: skip
    return _pdf_response(pdf, f"帮扶审批表-{application.pk}.pdf")


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response
