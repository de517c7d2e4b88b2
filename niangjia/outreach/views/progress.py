"""Campaign progress pages for staff: coverage by district, street and cadre, and the lists behind the numbers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from niangjia.orgs.auth import staff_of
from niangjia.outreach.selectors import progress as selectors
from niangjia.outreach.selectors.visits import campaign_get


def _int(value: str | None) -> int | None:
    if value and value.isdigit() and len(value) < 19:
        return int(value)
    return None


@login_required
def progress_index_view(request: HttpRequest) -> HttpResponse:
    """The campaigns the user may follow."""
    campaigns = selectors.progress_campaigns(user=staff_of(request))
    return render(request, "outreach/progress_index.html", {"campaigns": campaigns})


@login_required
def progress_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """One campaign's coverage under an organization (the user's own by default), and its cadres."""
    user = staff_of(request)
    campaign = campaign_get(user=user, pk=campaign_id)
    parent = selectors.progress_parent(user=user, campaign=campaign, org_id=_int(request.GET.get("org")))
    offset = min(_int(request.GET.get("cadres_from")) or 0, 10**6)
    found = selectors.progress(user=user, campaign=campaign, parent=parent, cadre_offset=offset)
    base = reverse("outreach:progress_list", args=[campaign.pk])
    cadre_metrics = [m for m in selectors.METRICS if found.cadres and m[0] in found.cadres[0]]

    def cells(row: dict[str, Any], metrics: list[tuple[str, str, bool]], **where: int) -> list[dict[str, Any]]:
        return [_cell(row, key, label, found.sensitive, f"{base}?{urlencode({'metric': key, **where})}")
                for key, label, _ in metrics]  # fmt: skip

    context = {
        "p": found,
        "metrics": selectors.METRICS,
        "cadre_metrics": cadre_metrics,
        "total": cells(found.total, selectors.METRICS, org=parent.pk),
        "rows": [(row["org"], cells(row, selectors.METRICS, org=row["org"].pk)) for row in found.rows],
        "cadres": [
            (row["name"], cells(row, cadre_metrics, org=parent.pk, cadre=row["cadre_id"])) for row in found.cadres
        ],
        "next_cadres": offset + selectors.PAGE_SIZE if found.cadres_more else None,
        "prev_cadres": max(offset - selectors.PAGE_SIZE, 0) if offset else None,
        "small": selectors.SMALL_COUNT,
    }
    return render(request, "outreach/progress.html", context)


def _cell(row: dict[str, Any], key: str, label: str, sensitive: bool, url: str) -> dict[str, Any]:
    """One number of the table: its text, and the link to its list when the user may read the list."""
    value = row.get(key)
    if value is None:
        text = "—" if key.endswith("_target") else f"少于{selectors.SMALL_COUNT}"
        return {"key": key, "label": label, "text": text, "url": None, "withheld": not key.endswith("_target")}
    linked = key in selectors.LISTED and value and (sensitive or key not in selectors.PEOPLE)
    return {"key": key, "label": label, "text": f"{value:,}", "url": url if linked else None, "withheld": False}


@login_required
def progress_list_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The enterprises, households or tickets behind one number of the progress table."""
    user = staff_of(request)
    campaign = campaign_get(user=user, pk=campaign_id)
    metric = request.GET.get("metric", "")
    org = selectors.progress_parent(user=user, campaign=campaign, org_id=_int(request.GET.get("org")))
    cadre = _int(request.GET.get("cadre"))
    after = _int(request.GET.get("after"))
    rows = selectors.progress_list(
        user=user, campaign=campaign, metric=metric, org=org, cadre_id=cadre, after_id=after,
        limit=selectors.PAGE_SIZE + 1,
    )  # fmt: skip
    more = len(rows) > selectors.PAGE_SIZE
    rows = rows[: selectors.PAGE_SIZE]
    kind = "enterprise" if metric in ("paired", "enterprises_visited", "enterprises_not_visited") else (
        "ticket" if metric.startswith("needs") else "household")  # fmt: skip
    context = {
        "campaign": campaign,
        "org": org,
        "metric": metric,
        "label": selectors.metric_label(metric),
        "rows": rows,
        "kind": kind,
        "cadre": cadre,
        "next_after": rows[-1].pk if more and rows else None,
    }
    return render(request, "outreach/progress_list.html", context)
