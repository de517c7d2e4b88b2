"""Screening the registry: runs by area partition, single households, changed households.

The engine computes in Polars; only eligible and possibly outcomes are stored, the
previous outcome of each (household, policy) stops being current in the same
transaction, so a work list is never half old, half new.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require_action
from niangjia.orgs.models import Area, StaffUser
from niangjia.registry.models import Household
from niangjia.registry.selectors import area_prefix as registry_area_prefix
from niangjia.rules import NOT_ELIGIBLE, Policy, screen
from niangjia.screening import tasks
from niangjia.screening.choices import RunKind, RunStatus
from niangjia.screening.extract import extract_tables
from niangjia.screening.models import HouseholdScreenState, ScreeningResult, ScreeningRun
from niangjia.screening.pack import current_policies
from niangjia.screening.snapshots import policy_files_keep

BATCH = 5000


def _policy_versions(policies: Sequence[Policy]) -> list[dict[str, str]]:
    return [{"id": p.id, "version": p.version, "content_hash": p.content_hash, "name": p.name} for p in policies]


def _results(frame: pl.DataFrame, run: ScreeningRun) -> list[ScreeningResult]:
    """Model rows for the eligible and possibly outcomes of an engine result frame."""
    kept = frame.filter(pl.col("status").cast(pl.String) != NOT_ELIGIBLE)
    rows = []
    for r in kept.iter_rows(named=True):
        person = r["person_id"]
        rows.append(
            ScreeningResult(
                run=run,
                household_id=int(r["household_id"]),
                member_id=int(person) if person else None,
                policy_id=r["policy_id"],
                policy_version=r["policy_version"],
                content_hash=r["content_hash"],
                parameters_hash=r["parameters_hash"] or "",
                as_of=r["as_of"],
                status=str(r["status"]),
                level=r["level"] or "",
                level_label=r["level_label"] or "",
                amount=Decimal(r["amount"]) if r["amount"] is not None else None,
                reasons=r["reasons"] or "",
                hint=r["hint"] or "",
                missing_facts=list(r["missing_facts"] or []),
                missing_documents=list(r["missing_documents"] or []),
            )
        )
    return rows


def _store(run: ScreeningRun, frame: pl.DataFrame, household_ids: list[int]) -> dict[str, dict[str, int]]:
    """Replace the current outcomes of `household_ids` by those in `frame`; return counts."""
    now = timezone.now()
    rows = _results(frame, run)
    with transaction.atomic():
        for start in range(0, len(household_ids), BATCH):
            chunk = household_ids[start : start + BATCH]
            ScreeningResult.objects.filter(household_id__in=chunk, is_current=True).update(is_current=False)
            existing = set(
                HouseholdScreenState.objects.filter(household_id__in=chunk).values_list("household_id", flat=True)
            )
            HouseholdScreenState.objects.filter(household_id__in=chunk).update(screened_at=now)
            HouseholdScreenState.objects.bulk_create(
                [HouseholdScreenState(household_id=h, screened_at=now) for h in chunk if h not in existing]
            )
        ScreeningResult.objects.bulk_create(rows, batch_size=BATCH)
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row.policy_id, {}).setdefault(row.status, 0)
        counts[row.policy_id][row.status] += 1
    return counts


def _run(
    *, kind: str, as_of: date, actor: StaffUser | None, area_prefix: str = "", household_ids: list[int] | None = None
) -> ScreeningRun:
    policies = current_policies()
    run = ScreeningRun.objects.create(
        kind=kind,
        as_of=as_of,
        area_prefix=area_prefix,
        actor=actor,
        policies=_policy_versions(policies),
        files=policy_files_keep(policies),
    )
    started = time.monotonic()
    try:
        tables = extract_tables(area_prefix=area_prefix or None, household_ids=household_ids)
        ids = [int(h) for h in tables["households"]["household_id"].to_list()]
        # Only eligible and possibly rows are stored, so not-eligible rows need no sentences.
        frame = screen(policies, tables, as_of, reasons="kept")
        assert isinstance(frame, pl.DataFrame)
        counts = _store(run, frame, ids)
    except Exception as exc:
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        raise
    run.status, run.counts, run.households = RunStatus.DONE, counts, len(ids)
    run.seconds, run.finished_at = round(time.monotonic() - started, 3), timezone.now()
    with transaction.atomic():
        run.save()
        if kind != RunKind.HOUSEHOLD:
            audit_record(
                actor=actor,
                action="screening.run",
                target=run,
                new={"as_of": as_of.isoformat(), "area": area_prefix, "households": len(ids)},
            )
    return run


def screening_run(*, as_of: date, area_prefix: str = "", actor: StaffUser | None = None) -> ScreeningRun:
    """Screen the households of one area partition (or all of them) as of a date."""
    return _run(kind=RunKind.AREA if area_prefix else RunKind.FULL, as_of=as_of, actor=actor, area_prefix=area_prefix)


def household_rescreen(*, household_id: int, as_of: date | None = None, actor: StaffUser | None = None) -> ScreeningRun:
    """Re-screen one household now (its facts changed); milliseconds, same engine path."""
    return _run(kind=RunKind.HOUSEHOLD, as_of=as_of or timezone.localdate(), actor=actor, household_ids=[household_id])


# A change is stamped before its transaction commits; look this far behind the watermark so a
# slow commit is still seen. Households already screened after their change are skipped.
FOLLOW_OVERLAP = timedelta(minutes=5)
FOLLOW_BATCH = 2000


def changed_households(*, since: datetime | None = None, limit: int = FOLLOW_BATCH) -> list[int]:
    """Households whose facts changed after they were last screened (or never screened).

    With `since`, only households stamped after `since − FOLLOW_OVERLAP` are considered: an
    indexed range on `facts_changed_at`, so polling every few seconds never scans the registry.
    """
    screened = HouseholdScreenState.objects.filter(household_id=OuterRef("pk")).values("screened_at")[:1]
    qs = Household.objects.all()
    if since is not None:
        qs = qs.filter(facts_changed_at__gt=since - FOLLOW_OVERLAP)
    qs = qs.annotate(screened=Subquery(screened)).filter(
        Q(screened__isnull=True) | Q(facts_changed_at__gt=F("screened"))
    )
    return list(qs.order_by("facts_changed_at").values_list("pk", flat=True)[:limit])


def follow_watermark() -> datetime | None:
    """Where a follow loop starts: the latest screening of any household (None: look at all)."""
    latest: datetime | None = HouseholdScreenState.objects.aggregate(latest=Max("screened_at"))["latest"]
    return latest


def changed_rescreen(
    *, as_of: date | None = None, since: datetime | None = None, limit: int = FOLLOW_BATCH
) -> ScreeningRun | None:
    """Re-screen the households changed since their last screening; None if there are none."""
    ids = changed_households(since=since, limit=limit)
    if not ids:
        return None
    return _run(kind=RunKind.CHANGED, as_of=as_of or timezone.localdate(), actor=None, household_ids=ids)


def area_partitions() -> list[str]:
    """The county-level code prefixes (6 digits) that hold households: one screening partition each."""
    codes = Area.objects.filter(pk__in=Household.objects.values("area_id").distinct()).values_list("code", flat=True)
    return sorted({code[:6] for code in codes})


def screening_enqueue(*, actor: StaffUser | None, area_prefix: str = "", as_of: date | None = None) -> list[str]:
    """Queue a screening of the partitions within `area_prefix` (default: the actor's own area); audited.

    One task per county-level partition, queued after the audit entry commits. A staff actor needs
    `Action.SCREEN` and may queue only their own part of the map; the system (None) any part.
    """
    own = ""
    if actor is not None:
        require_action(actor, Action.SCREEN)
        own = registry_area_prefix(actor.org.area.code) if actor.org else ""
    prefix = registry_area_prefix(area_prefix) if area_prefix else own
    if not prefix.startswith(own):
        raise PermissionDenied("只能筛查本辖区。")
    partitions = [p for p in area_partitions() if p.startswith(prefix) or prefix.startswith(p)]
    day = (as_of or timezone.localdate()).isoformat()
    with transaction.atomic():
        audit_record(
            actor=actor, action="screening.enqueue", target_label=f"排队筛查 {prefix or '全部'}",
            new={"area": prefix, "as_of": day, "partitions": len(partitions)},
        )  # fmt: skip
        for partition in partitions:
            transaction.on_commit(partial(tasks.screen_partition.enqueue, area_prefix=partition, as_of=day))
    return partitions
