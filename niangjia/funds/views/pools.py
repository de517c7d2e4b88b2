"""Pool pages: the list with balances, a new pool, one pool (allocations, open commitments), its ledger."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.core.filtering import filter_fields
from niangjia.core.scoping import Action, can
from niangjia.funds import selectors
from niangjia.funds.forms import AllocationForm, PoolForm, ReasonForm
from niangjia.funds.services import allocation_add, allocation_reverse, pool_create
from niangjia.orgs.auth import staff_of


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@login_required
def pool_list_view(request: HttpRequest) -> HttpResponse:
    """Pools in scope with their balances, newest first; the totals of what is shown by the filter."""
    user = staff_of(request)
    filters = selectors.PoolFilter.from_query(request.GET)
    after = _cursor(request.GET.get("after"))
    rows = selectors.pool_list(user=user, filters=filters, after_id=after, limit=selectors.PAGE_SIZE + 1)
    choices = selectors.pool_filter_choices(user=user)
    context = {
        "rows": rows[: selectors.PAGE_SIZE],
        "next_after": rows[selectors.PAGE_SIZE - 1].pk if len(rows) > selectors.PAGE_SIZE else None,
        "paged": after is not None,
        "totals": selectors.pool_totals(user=user, filters=filters),
        "fields": filter_fields(filters, choices),
        "described": filters.describe(choices),
        "query": filters.query(),
        "can_create": bool(selectors.pool_org_choices(user=user)),
    }
    return render(request, "funds/pool_list.html", context)


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@login_required
def pool_create_view(request: HttpRequest) -> HttpResponse:
    """Open a pool at a federation the user may change (the city, or their district)."""
    user = staff_of(request)
    orgs = selectors.pool_org_choices(user=user)
    if not orgs:
        raise PermissionDenied("只有市总工会、区县总工会的工作人员可以新建资金池。")
    form = PoolForm(request.POST or None, orgs=orgs, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pool = pool_create(programme=data["programme"], year=data["year"], org=data["org"], actor=user,
                               note=data["note"])  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, f"已建立资金池“{pool.name}”。")
            return redirect("funds:pool_detail", pk=pool.pk)
    return render(request, "funds/pool_create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def pool_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One pool: balances, the latest allocations, commitments waiting for payment, the allocation form."""
    return _detail(request, pk)


def _detail(request: HttpRequest, pk: int, *, form: AllocationForm | None = None, status: int = 200) -> HttpResponse:
    user = staff_of(request)
    pool = selectors.pool_get(user=user, pk=pk)
    may_change = can(user, Action.CHANGE, pool)
    context: dict[str, Any] = {
        "pool": pool,
        "may_change": may_change,
        "allocations": selectors.pool_allocations(user=user, pool=pool, limit=20),
        "waiting": selectors.open_commitments(user=user, pool=pool, limit=20),
        "ledger": selectors.pool_ledger(user=user, pool=pool, limit=10),
        "form": form or (AllocationForm(initial={"received_on": timezone.localdate()}) if may_change else None),
    }
    return render(request, "funds/pool_detail.html", context, status=status)


@login_required
@require_POST
def allocate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Put money into the pool (its federation's staff, or the city's)."""
    user = staff_of(request)
    pool = selectors.pool_get(user=user, pk=pk, action=Action.CHANGE)
    form = AllocationForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, form=form, status=400)
    data = form.cleaned_data
    try:
        allocation = allocation_add(pool=pool, amount=data["amount"], source=data["source"],
                                    received_on=data["received_on"], note=data["note"], actor=user)  # fmt: skip
    except ValidationError as exc:
        form.add_error(None, _errors(exc))
        return _detail(request, pk, form=form, status=400)
    messages.success(request, f"已拨入 ¥{allocation.amount:,.2f}。")
    return redirect("funds:pool_detail", pk=pk)


@login_required
def allocation_reverse_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Reverse an allocation (冲销) with a reason: a new transaction takes the money back out."""
    user = staff_of(request)
    allocation = selectors.allocation_get(user=user, pk=pk, action=Action.CHANGE)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            allocation_reverse(allocation=allocation, reason=form.cleaned_data["reason"], actor=user)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, f"已冲销拨入 ¥{allocation.amount:,.2f}。")
            return redirect("funds:pool_detail", pk=allocation.pool_id)
    context = {"allocation": allocation, "form": form}
    return render(request, "funds/allocation_reverse.html", context, status=400 if form.errors else 200)


@login_required
def pool_ledger_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The pool's ledger, newest first, a page at a time (keyset: ?before=<id>)."""
    user = staff_of(request)
    pool = selectors.pool_get(user=user, pk=pk)
    before = _cursor(request.GET.get("before"))
    rows = selectors.pool_ledger(user=user, pool=pool, before_id=before, limit=selectors.PAGE_SIZE + 1)
    context = {
        "pool": pool,
        "rows": rows[: selectors.PAGE_SIZE],
        "next_before": rows[selectors.PAGE_SIZE - 1].pk if len(rows) > selectors.PAGE_SIZE else None,
        "paged": before is not None,
    }
    return render(request, "funds/pool_ledger.html", context)
