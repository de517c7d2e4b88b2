"""The union tree's pages: an organization with its breadcrumbs, children, their counts, and its staff.

In the shell (web) because the counts span parts: staff from orgs, enterprises and workers
from the registry, each through the scoping chokepoint.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from niangjia.core.scoping import Action, allows
from niangjia.orgs import selectors as org_selectors
from niangjia.orgs.auth import staff_of
from niangjia.orgs.granting import may_manage, role_label
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry import selectors as registry_selectors
from niangjia.registry.models import Enterprise, Worker
from niangjia.web.home import COUNTS_SECONDS, _scope_key

STAFF_SHOWN = 50


def _per_child(qs: QuerySet[Enterprise] | QuerySet[Worker], org: UnionOrg) -> dict[int, int]:
    rows = qs.filter(org__path__startswith=org.path).values("org__path").annotate(n=Count("id"))
    return org_selectors.fold_counts(org=org, counts_by_path=dict(rows.values_list("org__path", "n")))


def child_counts(*, user: StaffUser, org: UnionOrg) -> dict[str, dict[int, int]]:
    """Staff, enterprises and workers in scope under each child of `org` (its own under org.pk); cached briefly.

    One grouped query each over the subtree: a city's workers cost a second, so a page
    shares them with the next two minutes' visitors of the same scope.
    """

    def count() -> dict[str, dict[int, int]]:
        return {
            "staff": org_selectors.staff_per_child(user=user, org=org),
            "enterprises": _per_child(
                registry_selectors.enterprise_queryset(user=user, filters=registry_selectors.EnterpriseFilter()), org
            ),
            "workers": _per_child(
                registry_selectors.worker_queryset(user=user, filters=registry_selectors.WorkerFilter()), org
            ),
        }

    key = f"org-counts:{_scope_key(user)}:{org.pk}"
    return cast(dict[str, dict[int, int]], cache.get_or_set(key, count, COUNTS_SECONDS))


@login_required
def org_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One organization: breadcrumbs up to the viewer's root, its children with counts, its staff."""
    user = staff_of(request)
    try:
        org = org_selectors.org_get(user=user, pk=pk)
    except UnionOrg.DoesNotExist:
        raise Http404("找不到该组织，或不在您的管辖范围内。") from None
    counts = child_counts(user=user, org=org)
    children = [
        (child, {name: per.get(child.pk, 0) for name, per in counts.items()})
        for child in org_selectors.org_children(user=user, org=org)
    ]
    totals = {name: sum(per.values()) for name, per in counts.items()}
    staff = org_selectors.org_staff(user=user, org=org, limit=STAFF_SHOWN + 1)
    manages = (
        allows(user, Action.MANAGE_STAFF)
        and org_selectors.org_list(user=user, action=Action.MANAGE_STAFF).filter(pk=org.pk).exists()
    )
    context = {
        "org": org,
        "breadcrumbs": org_selectors.org_breadcrumbs(user=user, org=org),
        "children": children,
        "totals": totals,
        "staff": [
            (person, role_label(person.role), manages and may_manage(user, person)) for person in staff[:STAFF_SHOWN]
        ],
        "more_staff": len(staff) > STAFF_SHOWN,
        "manages": manages,
    }
    return render(request, "web/org_detail.html", context)
