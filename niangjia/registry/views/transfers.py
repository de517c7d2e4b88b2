"""Transfers: ask the union holding a worker's record to let the worker move here; decide such requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from niangjia.core.disclosure import DisclosureLimitReached
from niangjia.core.scoping import Action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors
from niangjia.registry.forms.edit import WorkerRegisterForm, form_errors
from niangjia.registry.services import transfer_decide, transfer_request


@login_required
@require_POST
def transfer_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the union holding a worker's record to let the worker move to this enterprise."""
    user = staff_of(request)
    enterprise = selectors.enterprise_get(user=user, pk=pk, action=Action.CHANGE)
    form = WorkerRegisterForm(request.POST)
    if form.is_valid():
        try:
            transfer_request(actor=user, data=form.worker_data(enterprise))
        except DisclosureLimitReached as limit:
            form.add_error("id_number", str(limit))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "调动申请已提交，原负责工会确认后，该职工即转入本单位。")
            return redirect("registry:transfers")
    context = {"form": form, "enterprise": enterprise, "elsewhere": False}
    return render(request, "registry/worker_register.html", context, status=422)


@login_required
def transfer_list_view(request: HttpRequest) -> HttpResponse:
    """Transfers waiting for the user's decision, and the ones the user asked for."""
    user = staff_of(request)
    context = {
        "incoming": selectors.transfers_to_decide(user=user),
        "outgoing": selectors.transfers_requested(user=user),
    }
    return render(request, "registry/transfers.html", context)


@login_required
@require_POST
def transfer_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject one pending transfer (the union holding the record)."""
    user = staff_of(request)
    transfer = selectors.transfer_get(user=user, pk=pk)
    try:
        transfer_decide(
            actor=user, transfer=transfer, approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已处理 {transfer.worker.name} 的调动申请。")
    return redirect("registry:transfers")
