"""Views of the web shell: login, logout, each role's home, organizations, audit."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from niangjia.core.audit import action_label, registered_actions
from niangjia.core.audit_display import audit_changes
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require_action
from niangjia.core.selectors import audit_search
from niangjia.orgs import selectors as org_selectors
from niangjia.orgs.auth import staff_of
from niangjia.orgs.services import LoginRefused, LoginThrottled, staff_authenticate
from niangjia.reports.views import dashboard_page
from niangjia.web import home
from niangjia.web.forms import AuditSearchForm, LoginForm


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Show the login form; sign the user in, or say why not."""
    form = LoginForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_authenticate(
                request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except LoginRefused as refused:
            error = str(refused)
            status = 429 if isinstance(refused, LoginThrottled) else 400
        else:
            login(request, user)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            return redirect(target or "web:home")
    return render(request, "web/login.html", {"form": form, "error": error}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


HOME_TEMPLATES: dict[str, str] = {
    Role.CADRE: "web/home_cadre.html",
    Role.ENTERPRISE_CHAIR: "web/home_chair.html",
}
# Leaders and staff land on the campaign dashboard (issue 15), titled for what they do there.
DASHBOARD_TITLES: dict[str, str] = {
    Role.CITY_ADMIN: "工作台",
    Role.DISTRICT_STAFF: "工作台",
    Role.LEADER: "工作概览",
}


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    """Each role's home page: the dashboard for leaders and staff, the day's work for cadres and chairs."""
    user = staff_of(request)
    if user.role not in HOME_TEMPLATES:
        extra = home.registry_panel(user=user) | {"page_title": DASHBOARD_TITLES.get(user.role, "工作台")}
        return dashboard_page(request, template="web/home_dashboard.html", extra=extra)
    return render(request, HOME_TEMPLATES[user.role], home.home_context(user=user))


@login_required
def org_list_view(request: HttpRequest) -> HttpResponse:
    """The union tree in scope, in tree order; or the organizations whose name contains `q`."""
    user = staff_of(request)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        return render(request, "web/org_list.html", {"q": q, "found": org_selectors.org_search(user=user, q=q)})
    page = Paginator(org_selectors.org_list(user=user), 50).get_page(request.GET.get("page"))
    return render(request, "web/org_list.html", {"page": page, "q": ""})


@login_required
def audit_search_view(request: HttpRequest) -> HttpResponse:
    """Search the audit log within the admin's part of the tree."""
    require_action(request.user, Action.AUDIT)
    form = AuditSearchForm(request.GET or None, action_choices=list(registered_actions().items()))
    entries = []
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if form.is_bound else {}
        before = request.GET.get("before", "")
        entries = audit_search(
            user=staff_of(request),
            text=data.get("q", ""),
            action=data.get("action", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            before_id=int(before) if before.isdigit() else None,
        )
    rows = [(entry, action_label(entry.action), audit_changes(entry)) for entry in entries]
    next_before = entries[-1].id if len(entries) == 50 else None
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "web/audit_search.html",
        {"form": form, "rows": rows, "next_before": next_before, "query": query.urlencode()},
    )
