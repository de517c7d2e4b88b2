"""Hardship archive pages: the list with its work queries, a new archive, one archive with its steps."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.assistance.choices import ArchiveStatus, NoticeStatus, ObjectionOutcome
from niangjia.assistance.forms import (
    ArchiveForm,
    ExitForm,
    MoveForm,
    NoticeForm,
    ObjectionDecideForm,
    ObjectionForm,
    ReviewForm,
    errors_text,
)
from niangjia.assistance.selectors import archive as selectors
from niangjia.assistance.services import (
    archive_exit,
    archive_move,
    archive_open,
    archive_review_confirm,
    notice_close,
    notice_open,
    objection_add,
    objection_decide,
)
from niangjia.assistance.views.common import int_or_none, refused
from niangjia.assistance.workflow import ARCHIVE_MOVES, allowed
from niangjia.core.filtering import filter_fields
from niangjia.core.scoping import Action, allows, require_action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors


@login_required
def archive_list_view(request: HttpRequest) -> HttpResponse:
    """The archive in scope: by status and level, and the queries 一年未更新, 建档后未获帮扶, 到期待复核."""
    user = staff_of(request)
    today = timezone.localdate()
    filters = selectors.ArchiveFilter.from_query(request.GET)
    rows = selectors.archive_list(
        user=user, filters=filters, today=today, before_id=int_or_none(request.GET.get("before"))
    )
    context = {
        "rows": rows,
        "filters": filters,
        "fields": filter_fields(filters, selectors.archive_choices(user=user)),
        "next_query": filters.query(before=rows[-1].pk) if len(rows) == selectors.PAGE_SIZE else "",
        "review_before": today - timedelta(days=365),
    }
    return render(request, "assistance/archive_list.html", context)


@login_required
def archive_new_view(request: HttpRequest) -> HttpResponse:
    """Register a household as 疑似困难: from its screening result (the engine's level) or a cadre's assessment."""
    user = staff_of(request)
    require_action(user, Action.SENSITIVE)
    source = request.POST if request.method == "POST" else request.GET
    household_id = int_or_none(source.get("household"))
    if household_id is None:
        raise Http404
    data = registry_selectors.household_get(user=user, pk=household_id)
    existing = selectors.archive_of_household(user=user, household_id=household_id)
    result = selectors.archive_screening_result(user=user, household_id=household_id) if data else None
    initial = {
        "level": result.level if result and result.level else "relative",
        "result": result.pk if result else None,
    }
    form = ArchiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and existing is None and form.is_valid():
        values = form.cleaned_data
        chosen = result if result is not None and values["result"] == result.pk else None
        try:
            archive = archive_open(
                actor=user, household=data["household"], level=values["level"], main_cause=values["main_cause"],
                secondary_causes=values["secondary_causes"], evidence=values["evidence"],
                cause_note=values["cause_note"], result=chosen,
            )  # fmt: skip
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, "已登记为疑似困难职工家庭，请入户核实。")
            return redirect("assistance:archive", pk=archive.pk)
    elif request.method == "POST" and not form.is_valid():
        messages.error(request, errors_text(form))
    context = {
        "h": data,
        "form": form,
        "result": result,
        "existing": existing,
        "can_change": allows(user, Action.CHANGE),
    }
    return render(request, "assistance/archive_new.html", context)


@login_required
def archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One archive: level, causes, evidence, the engine's basis, history, notices with objections, the steps."""
    user = staff_of(request)
    archive = selectors.archive_get(user=user, pk=pk)
    detail = selectors.archive_detail(user=user, archive=archive)
    may_change = allows(user, Action.CHANGE)
    moves = allowed(ARCHIVE_MOVES, status=archive.status, user=user) if may_change else []
    today = timezone.localdate()
    open_notice = next((n for n in detail["notices"] if n.status == NoticeStatus.OPEN), None)
    context = {
        "a": archive,
        **detail,
        "moves": [m for m in moves if not m.own_form],
        "can_confirm": any(m.move == "confirm" for m in moves),
        "can_exit": any(m.move == "exit" for m in moves),
        "notice_form": NoticeForm(initial={"starts_on": today, "ends_on": today + timedelta(days=6)})
        if may_change and archive.status == ArchiveStatus.VERIFIED and open_notice is None
        else None,
        "open_notice": open_notice,
        "objection_form": ObjectionForm(initial={"received_on": today}),
        "decide_form": ObjectionDecideForm(),
        "review_form": ReviewForm(initial={"level": archive.level}),
        "exit_form": ExitForm(),
        "may_change": may_change,
        "pending": ObjectionOutcome.PENDING,
        "today": today,
    }
    return render(request, "assistance/archive.html", context)


@login_required
@require_POST
def archive_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_of(request)
    archive = selectors.archive_get(user=user, pk=pk, action=Action.CHANGE)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assistance:archive", pk=pk)
    try:
        archive_move(actor=user, archive=archive, move=form.cleaned_data["move"], note=form.cleaned_data["note"])
        messages.success(request, "已办理。")
    except ValidationError as exc:
        refused(request, exc)
    return redirect("assistance:archive", pk=pk)


@login_required
@require_POST
def archive_step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The archive's steps with their own forms: notice, objection, objection finding, close notice, review, exit."""
    user = staff_of(request)
    archive = selectors.archive_get(user=user, pk=pk, action=Action.CHANGE)
    forms = {"notice": NoticeForm, "objection": ObjectionForm, "decide": ObjectionDecideForm, "review": ReviewForm,
             "exit": ExitForm}  # fmt: skip
    form = forms[step](request.POST) if step in forms else None
    if form is not None and not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assistance:archive", pk=pk)
    values = form.cleaned_data if form is not None else {}
    notice = archive.notices.filter(status=NoticeStatus.OPEN).first()
    try:
        if step == "notice":
            notice_open(actor=user, archive=archive, starts_on=values["starts_on"], ends_on=values["ends_on"],
                        place=values["place"])  # fmt: skip
        elif step == "objection" and notice is not None:
            objection_add(actor=user, notice=notice, received_on=values["received_on"], content=values["content"])
        elif step == "decide" and notice is not None:
            objection = notice.objections.filter(pk=int_or_none(request.POST.get("objection")) or 0).first()
            if objection is None:
                raise Http404
            objection_decide(actor=user, objection=objection, outcome=values["outcome"], finding=values["finding"])
        elif step == "close" and notice is not None:
            notice_close(actor=user, notice=notice)
        elif step == "review":
            archive_review_confirm(actor=user, archive=archive, note=values["note"], level=values["level"])
        elif step == "exit":
            archive_exit(actor=user, archive=archive, route=values["route"], reason=values["reason"])
        else:
            raise Http404
        messages.success(request, "已办理。")
    except ValidationError as exc:
        refused(request, exc)
    return redirect("assistance:archive", pk=pk)
