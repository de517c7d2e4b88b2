"""Pages that change the registry: register a worker at an enterprise, edit a household's facts.

They parse the form and call the services; a changed fact is re-screened within seconds
by `screen --follow`, and the screening household page evaluates on demand.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from niangjia.core.disclosure import DisclosureLimitReached
from niangjia.core.scoping import Action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors
from niangjia.registry.forms.edit import (
    HouseholdCreateForm,
    HouseholdFactsForm,
    MemberAddForm,
    MemberFactsForm,
    WorkerRegisterForm,
    form_errors,
)
from niangjia.registry.models import HouseholdCircumstances, MemberCircumstances
from niangjia.registry.selectors import area_prefix
from niangjia.registry.services import (
    HouseholdFacts,
    MemberData,
    MemberFacts,
    WorkerRegisteredElsewhere,
    household_create,
    household_facts_update,
    member_add,
    member_facts_update,
    worker_register,
)


@login_required
def worker_register_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记职工 at one enterprise: a new person, or the one already on file with the same ID."""
    user = staff_of(request)
    enterprise = selectors.enterprise_get(user=user, pk=pk, action=Action.CHANGE)
    form = WorkerRegisterForm(request.POST or None)
    elsewhere = False
    if request.method == "POST" and form.is_valid():
        try:
            worker, created, changes = worker_register(actor=user, data=form.worker_data(enterprise))
        except DisclosureLimitReached as limit:
            form.add_error("id_number", str(limit))
        except ValidationError as error:
            form_errors(form, error)
            elsewhere = isinstance(error, WorkerRegisteredElsewhere)
        else:
            if created:
                messages.success(request, f"已登记职工 {worker.name}。")
            else:
                what = "、".join(sorted(changes)) or "无变化"
                messages.info(request, f"该身份证号已在名册中（{worker.name}），已更新：{what}。")
            return redirect("registry:worker_detail", pk=worker.pk)
    context = {"form": form, "enterprise": enterprise, "elsewhere": elsewhere}
    return render(request, "registry/worker_register.html", context, status=422 if form.errors else 200)


@login_required
def household_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a household's economic facts (the roles that may see them only)."""
    user = staff_of(request)
    data = selectors.household_get(user=user, pk=pk)
    if not data["sensitive"]:
        return HttpResponse("您的角色不能查看或修改家庭经济情况。", status=403)
    household = data["household"]
    circumstances = data["circumstances"] or HouseholdCircumstances(household=household)
    form = HouseholdFactsForm(request.POST or None, circumstances=circumstances)
    if request.method == "POST" and form.is_valid():
        try:
            household_facts_update(actor=user, household=household, facts=HouseholdFacts(**form.cleaned_data))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "家庭经济情况已保存，政策找人将在几秒内重新筛查。")
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/facts_edit.html", {"form": form, "title": f"家庭 #{household.pk} 经济情况"})


@login_required
def member_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one member's work, school, income and health."""
    user = staff_of(request)
    member = selectors.member_get(user=user, pk=pk, action=Action.CHANGE)
    if not selectors.household_get(user=user, pk=member.household_id)["sensitive"]:
        return HttpResponse("您的角色不能查看或修改成员的收入与健康情况。", status=403)
    member.circumstances = getattr(member, "circumstances", None) or MemberCircumstances(member=member)
    form = MemberFactsForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["work_status"] = values["work_status"] or ""
        values["school_stage"] = values["school_stage"] or ""
        values["health"] = values["health"] or ""
        try:
            member_facts_update(actor=user, member=member, facts=MemberFacts(**values))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"{member.name} 的情况已保存，政策找人将在几秒内重新筛查。")
            return redirect("registry:household_detail", pk=member.household_id)
    return render(
        request,
        "registry/facts_edit.html",
        {"form": form, "title": f"{member.name}（{member.get_relation_display()}）"},
    )


@login_required
def household_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记家庭 for a worker who has none: they become its head."""
    user = staff_of(request)
    worker = selectors.worker_get(user=user, pk=pk, action=Action.CHANGE)
    existing = selectors.household_of(user=user, worker=worker)
    if existing is not None:
        return redirect("registry:household_detail", pk=existing.pk)
    prefix = area_prefix(user.org.area.code) if user.org else ""  # no organization: every area on file
    form = HouseholdCreateForm(request.POST or None, prefix_code=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            household = household_create(actor=user, head=worker, facts=HouseholdFacts(area=form.cleaned_data["area"]))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "家庭已登记；请补充成员和经济情况。")
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/facts_edit.html", {"form": form, "title": f"登记 {worker.name} 的家庭"})


@login_required
def member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """添加家庭成员: one person once (an ID number already on file is refused)."""
    user = staff_of(request)
    household = selectors.household_get(user=user, pk=pk)["household"]
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        facts = MemberFacts(
            monthly_income=data["monthly_income"], health=data["health"] or "", work_status=data["work_status"] or "",
            school_stage=data["school_stage"] or "", admission_year=data["admission_year"],
        )  # fmt: skip
        member = MemberData(
            name=data["name"], relation=data["relation"], id_number=data["id_number"] or None, facts=facts
        )
        try:
            member_add(actor=user, household=household, data=member)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"已添加成员 {data['name']}。")
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/facts_edit.html", {"form": form, "title": f"家庭 #{household.pk} 添加成员"})
