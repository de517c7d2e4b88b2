"""Rounds: choose households from the work queue's filter, file, approve or pay them all; the sheet."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from niangjia.assistance.choices import RoundKind, RoundOutcome
from niangjia.assistance.forms import RoundForm, errors_text
from niangjia.assistance.pdf import approval_sheet_pdf
from niangjia.assistance.selectors import rounds as selectors
from niangjia.assistance.selectors.applications import sheet_row
from niangjia.assistance.selectors.queue import QueueFilter, queue_choices
from niangjia.assistance.services.funding import PROGRAMMES
from niangjia.assistance.services.rounds import INLINE_MAX, round_run, round_start
from niangjia.assistance.views.applications import _pdf_response
from niangjia.assistance.views.common import refused
from niangjia.assistance.workflow import SUPERVISORS
from niangjia.core.filtering import filter_fields
from niangjia.core.scoping import Action, allows, require_action
from niangjia.orgs.auth import staff_of
from niangjia.screening.pack import current_policies, policy_names


def _payable() -> list[tuple[str, str]]:
    names = policy_names(current_policies())
    return [(pid, name) for pid, name in names.items() if pid in PROGRAMMES]


@login_required
def round_list_view(request: HttpRequest) -> HttpResponse:
    """The rounds in scope and the form for a new one (the work queue's filter chooses the households)."""
    user = staff_of(request)
    require_action(user, Action.SENSITIVE)
    filters = QueueFilter.from_query(request.GET if request.method == "GET" else request.POST)
    supervisor = user.is_superuser or user.role in SUPERVISORS
    kinds = [(k.value, k.label) for k in RoundKind if supervisor or k == RoundKind.FILE]
    form = RoundForm(request.POST or None, policies=_payable(), kinds=kinds,
                     initial={"policy_id": filters.policy_id, "title": "", "limit": 500})  # fmt: skip
    if request.method == "POST":
        if not allows(user, Action.CHANGE):
            raise PermissionDenied("您的角色不能批量办理。")
        if not form.is_valid():
            messages.error(request, errors_text(form))
        else:
            values = form.cleaned_data
            chosen = filters.model_copy(update={"policy_id": values["policy_id"]})
            try:
                if values["kind"] == RoundKind.FILE:
                    ids = selectors.round_targets(user=user, filters=chosen, limit=values["limit"])
                    batch = round_start(actor=user, kind=values["kind"], policy_id=values["policy_id"],
                                        title=values["title"], targets=ids, filters=chosen.chosen())  # fmt: skip
                else:
                    apps = selectors.round_applications(
                        user=user, kind=values["kind"], filters=chosen, limit=values["limit"]
                    )
                    batch = round_start(actor=user, kind=values["kind"], policy_id=values["policy_id"],
                                        title=values["title"], applications=apps, filters=chosen.chosen())  # fmt: skip
            except ValidationError as exc:
                refused(request, exc)
            else:
                if batch.total <= INLINE_MAX:
                    round_run(round_id=batch.pk, actor=user)
                else:
                    from niangjia.assistance.tasks import run_round

                    transaction.on_commit(partial(run_round.enqueue, round_id=batch.pk))
                    messages.info(request, f"共 {batch.total} 户，已排入后台办理，完成后本页可见结果。")
                return redirect("assistance:round", pk=batch.pk)
    choices = queue_choices(user=user)
    context = {
        "rows": selectors.round_list(user=user),
        "form": form,
        "filters": filters,
        "fields": [f for f in filter_fields(filters, choices) if f.name in ("level", "area", "status")],
        "described": filters.describe(choices),
        "can_change": allows(user, Action.CHANGE),
    }
    return render(request, "assistance/rounds.html", context)


@login_required
def round_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One round: how many succeeded, every failure by name with its reason, then the rest."""
    user = staff_of(request)
    batch = selectors.round_get(user=user, pk=pk)
    items = selectors.round_items(user=user, batch=batch)
    context = {
        "r": batch,
        "failed": [i for i in items if i.outcome == RoundOutcome.FAILED],
        "items": [i for i in items if i.outcome != RoundOutcome.FAILED],
        "pending": selectors.round_summary(batch)["pending"],
        "policy": policy_names(current_policies()).get(batch.policy_id, batch.policy_id),
    }
    return render(request, "assistance/round.html", context)


@login_required
def round_sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    """《帮扶审批表》 of a round: every household it approved (or paid), the total, one signature."""
    user = staff_of(request)
    batch = selectors.round_get(user=user, pk=pk)
    done = [i for i in selectors.round_items(user=user, batch=batch, outcome=RoundOutcome.OK) if i.application]
    rows = [sheet_row(i.application) for i in done]  # type: ignore[arg-type]
    total = sum((r["amount"] for r in rows), start=0)
    pdf = approval_sheet_pdf(title=f"{batch.get_kind_display()} · {batch.title}", rows=rows, org=batch.org,
                             approver=batch.actor, total=total)  # fmt: skip
    return _pdf_response(pdf, f"帮扶审批表-批量{batch.pk}.pdf")
