"""One-to-one contact household pages: due and overdue list, start, one household with its log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.assistance.forms import ContactEndForm, ContactForm, ContactLogForm, errors_text
from niangjia.assistance.selectors import contacts as selectors
from niangjia.assistance.selectors.queue import assignable_cadres
from niangjia.assistance.services import contact_end, contact_log, contact_start
from niangjia.assistance.views.common import int_or_none, refused
from niangjia.core.filtering import filter_fields
from niangjia.core.scoping import Action, allows
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors


@login_required
def contact_list_view(request: HttpRequest) -> HttpResponse:
    """Contact households in scope, the most overdue first."""
    user = staff_of(request)
    today = timezone.localdate()
    filters = selectors.ContactFilter.from_query(request.GET)
    rows = selectors.contact_list(user=user, filters=filters, today=today)
    context = {"rows": rows, "filters": filters, "fields": filter_fields(filters, selectors.contact_choices()),
               "today": today}  # fmt: skip
    return render(request, "assistance/contacts.html", context)


@login_required
def contact_new_view(request: HttpRequest) -> HttpResponse:
    """Make a household a one-to-one contact household of a cadre who works on it."""
    user = staff_of(request)
    source = request.POST if request.method == "POST" else request.GET
    household_id = int_or_none(source.get("household"))
    if household_id is None:
        raise Http404
    data = registry_selectors.household_get(user=user, pk=household_id)
    cadres = assignable_cadres(user=user, household=data["household"])
    form = ContactForm(request.POST or None, initial={"cadre": user.pk})
    if request.method == "POST" and form.is_valid():
        cadre = next((c for c in cadres if c.pk == form.cleaned_data["cadre"]), None)
        if cadre is None:
            messages.error(request, "联系干部：请从联系该家庭企业的干部中选择。")
        else:
            try:
                contact = contact_start(actor=user, household=data["household"], cadre=cadre,
                                        frequency=form.cleaned_data["frequency"], reason=form.cleaned_data["reason"])  # fmt: skip
            except ValidationError as exc:
                refused(request, exc)
            else:
                messages.success(request, "已确定为一对一联系户。")
                return redirect("assistance:contact", pk=contact.pk)
    elif request.method == "POST":
        messages.error(request, errors_text(form))
    context = {"h": data, "form": form, "cadres": cadres, "can_change": allows(user, Action.CHANGE)}
    return render(request, "assistance/contact_new.html", context)


@login_required
def contact_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_of(request)
    contact = selectors.contact_get(user=user, pk=pk)
    context = {
        "c": contact,
        "logs": selectors.contact_logs(user=user, contact=contact),
        "log_form": ContactLogForm(initial={"at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}),
        "end_form": ContactEndForm(),
        "can_change": allows(user, Action.CHANGE) and contact.active,
        "today": timezone.localdate(),
    }
    return render(request, "assistance/contact.html", context)


@login_required
@require_POST
def contact_log_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_of(request)
    contact = selectors.contact_get(user=user, pk=pk, action=Action.CHANGE)
    form = ContactLogForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assistance:contact", pk=pk)
    try:
        contact_log(household=contact.household, cadre=user, at=form.cleaned_data["at"], note=form.cleaned_data["note"],
                    channel=form.cleaned_data["channel"])  # fmt: skip
        messages.success(request, "已记录联系情况。")
    except ValidationError as exc:
        refused(request, exc)
    return redirect("assistance:contact", pk=pk)


@login_required
@require_POST
def contact_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_of(request)
    contact = selectors.contact_get(user=user, pk=pk, action=Action.CHANGE)
    form = ContactEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("assistance:contact", pk=pk)
    try:
        contact_end(actor=user, contact=contact, reason=form.cleaned_data["reason"])
        messages.success(request, "已结束一对一联系。")
    except ValidationError as exc:
        refused(request, exc)
    return redirect("assistance:contact", pk=pk)
