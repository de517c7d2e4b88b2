"""Reads of the registry. Every one starts from the scoping chokepoint.

Lists are keyset-paginated on id (newest first): `after_id` is the last id of the
previous page, so a page costs the same at row 10 and at row 10,000,000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from niangjia.core.identifiers import normalize_phone, validate_id_number
from niangjia.core.scoping import Action, allows, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry.identity import id_digest, phone_digest, tail_digests
from niangjia.registry.models import (
    Employment,
    Enterprise,
    Household,
    HouseholdMember,
    Worker,
    WorkerTransfer,
)

PAGE_SIZE = 50


def area_prefix(code: str) -> str:
    """The code prefix shared by an area and everything below it (610100 → 6101)."""
    code = code.strip()
    if len(code) == 6:
        for _ in range(2):
            if code.endswith("00"):
                code = code[:-2]
    return code


@dataclass(frozen=True)
class EnterpriseFilter:
    area: str = ""
    ownership: str = ""
    size_class: str = ""
    industry: str = ""
    is_platform: bool | None = None
    has_union: bool | None = None
    q: str = ""


@dataclass(frozen=True)
class WorkerFilter:
    area: str = ""
    enterprise_id: int | None = None
    form: str = ""
    gig_only: bool = False
    union_member: bool | None = None
    is_migrant: bool | None = None


def enterprise_queryset(
    *, user: StaffUser, filters: EnterpriseFilter, action: Action = Action.VIEW
) -> QuerySet[Enterprise]:
    """Enterprises in scope matching the filters (unordered, unpaginated: for exports)."""
    return enterprise_filtered(
        restrict(Enterprise.objects.select_related("area", "org", "union"), user, action), filters
    )


def enterprise_filtered(qs: QuerySet[Enterprise], filters: EnterpriseFilter) -> QuerySet[Enterprise]:
    """Apply the list filters to an already scoped queryset."""
    if filters.area:
        qs = qs.filter(area__code__startswith=area_prefix(filters.area))
    for name in ("ownership", "size_class", "industry"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.is_platform is not None:
        qs = qs.filter(is_platform=filters.is_platform)
    if filters.has_union is not None:
        qs = qs.filter(union__isnull=not filters.has_union)
    if filters.q:
        qs = qs.filter(Q(name__contains=filters.q) | Q(uscc=filters.q.upper()))
    return qs


def enterprise_list(
    *, user: StaffUser, filters: EnterpriseFilter, after_id: int | None = None, limit: int = PAGE_SIZE
) -> list[Enterprise]:
    """One keyset page of enterprises in scope."""
    qs = enterprise_queryset(user=user, filters=filters)
    if after_id:
        qs = qs.filter(id__lt=after_id)
    return list(qs.order_by("-id")[:limit])


def enterprise_get(*, user: StaffUser, pk: int, action: Action = Action.VIEW) -> Enterprise:
    """One enterprise in scope, or 404 (out of scope looks like not found)."""
    enterprise = restrict(Enterprise.objects.select_related("area", "org", "union"), user, action).filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    return enterprise


def worker_queryset(*, user: StaffUser, filters: WorkerFilter, action: Action = Action.VIEW) -> QuerySet[Worker]:
    """Workers in scope matching the filters (unordered, unpaginated: for exports)."""
    base = restrict(Worker.objects.filter(merged_into__isnull=True).select_related("org"), user, action)
    return worker_filtered(base, filters)


def worker_filtered(qs: QuerySet[Worker], filters: WorkerFilter) -> QuerySet[Worker]:
    """Apply the list filters to an already scoped queryset."""
    current = Employment.objects.filter(end_date__isnull=True)
    if filters.area:
        current = current.filter(enterprise__area__code__startswith=area_prefix(filters.area))
    if filters.enterprise_id:
        current = current.filter(enterprise_id=filters.enterprise_id)
    if filters.form:
        current = current.filter(form=filters.form)
    if filters.gig_only:
        current = current.filter(form__startswith="gig_")
    if filters.area or filters.enterprise_id or filters.form or filters.gig_only:
        qs = qs.filter(pk__in=current.values("worker_id"))
    if filters.union_member is not None:
        qs = qs.filter(union_member=filters.union_member)
    if filters.is_migrant is not None:
        qs = qs.filter(is_migrant=filters.is_migrant)
    return qs


def _with_current_jobs(qs: QuerySet[Worker]) -> QuerySet[Worker]:
    jobs = Employment.objects.filter(end_date__isnull=True).select_related("enterprise")
    return qs.prefetch_related(Prefetch("employments", queryset=jobs, to_attr="current_jobs"))


def worker_list(
    *, user: StaffUser, filters: WorkerFilter, after_id: int | None = None, limit: int = PAGE_SIZE
) -> list[Worker]:
    """One keyset page of workers in scope, each with `current_jobs`."""
    qs = worker_queryset(user=user, filters=filters)
    if after_id:
        qs = qs.filter(id__lt=after_id)
    return list(_with_current_jobs(qs.order_by("-id"))[:limit])


_DIGITS = re.compile(r"^[0-9０-９xX]+$")


def worker_search(*, user: StaffUser, q: str, enterprise_id: int | None = None, limit: int = 20) -> list[Worker]:
    """Find workers in scope by name, pinyin initials, a full ID or phone number, or their last 4 digits.

    Names: one or two characters match the start of the name (冯, 冯建, 曾丽); three or more match
    anywhere in it (建民x is rare; 许琳飞 finds the person).
    """
    text = q.strip()
    if not text:
        return []
    qs = restrict(Worker.objects.filter(merged_into__isnull=True), user)
    if enterprise_id:
        qs = qs.filter(employments__enterprise_id=enterprise_id, employments__end_date__isnull=True)
    qs = qs.filter(_search_condition(text))
    return list(_with_current_jobs(qs.order_by("-id"))[:limit])


_SEPARATORS = re.compile(r"[\s\-()（）+]")


def _search_condition(text: str) -> Q:
    """Digits search identifiers (4 digits: the tail; more: a whole ID or phone); letters, pinyin initials."""
    compact = _SEPARATORS.sub("", text)
    if compact and _DIGITS.match(compact):
        if len(compact) == 4:
            id_tail, phone_tail = tail_digests(compact)
            return Q(id_tail_hash=id_tail) | Q(phone_tail_hash=phone_tail)
        return _identifier_condition(text, compact)
    if text.isascii() and text.isalpha():
        return Q(name_initials__startswith=text.lower())
    # Trigram indexes need three characters; shorter text matches the start of the name
    # (a surname, or a whole two-character name) through the prefix index.
    return Q(name__startswith=text) if len(text) < 3 else Q(name__contains=text)


def identifier_kind(q: str) -> str | None:
    """ "id_number" or "phone" when `q` is a whole ID or phone number (a search that discloses), else None."""
    compact = _SEPARATORS.sub("", q.strip())
    if len(compact) == 4 or not compact or not _DIGITS.match(compact):
        return None
    try:
        validate_id_number(compact)
        return "id_number"
    except ValidationError:
        pass
    try:
        normalize_phone(q.strip())
        return "phone"
    except ValidationError:
        return None


def _identifier_condition(text: str, compact: str) -> Q:
    try:
        return Q(id_number_hash=id_digest(validate_id_number(compact)))
    except ValidationError:
        pass
    try:
        return Q(phone_hash=phone_digest(normalize_phone(text)))
    except ValidationError:
        return Q(pk__in=[])


def worker_get(*, user: StaffUser, pk: int, action: Action = Action.VIEW) -> Worker:
    """One worker in scope with current jobs, or 404."""
    worker = _with_current_jobs(restrict(Worker.objects.select_related("org"), user, action)).filter(pk=pk).first()
    if worker is None:
        raise Http404
    return worker


def household_of(*, worker: Worker) -> Household | None:
    """The household a worker belongs to (the worker was already scoped)."""
    member = HouseholdMember.objects.filter(worker=worker).select_related("household").first()
    return member.household if member else None


def household_get(*, user: StaffUser, pk: int) -> dict[str, Any]:
    """A household in scope: members, and the sensitive facts only for roles allowed them."""
    household = restrict(Household.objects.select_related("area", "org"), user).filter(pk=pk).first()
    if household is None:
        raise Http404
    sensitive = allows(user, Action.SENSITIVE)
    members = HouseholdMember.objects.filter(household=household).select_related("worker").order_by("id")
    if sensitive:
        members = members.select_related("circumstances")
    return {
        "household": household,
        "members": list(members),
        "circumstances": getattr(household, "circumstances", None) if sensitive else None,
        "sensitive": sensitive,
        "events": list(household.events.order_by("-date")[:50]) if sensitive else [],
        "documents": list(household.documents.order_by("kind")),
        "aid": list(household.aid_received.order_by("-paid_on")[:50]),
    }


def worker_history(*, worker: Worker) -> QuerySet[Employment]:
    """Every employment of an already scoped worker, latest first."""
    return Employment.objects.filter(worker=worker).select_related("enterprise").order_by("-start_date", "-id")


def member_get(*, user: StaffUser, pk: int, action: Action = Action.VIEW) -> HouseholdMember:
    """One household member in scope, or 404."""
    member = restrict(HouseholdMember.objects.select_related("household"), user, action).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


def transfers_to_decide(*, user: StaffUser, limit: int = PAGE_SIZE) -> list[WorkerTransfer]:
    """Pending transfers of workers whose records the user's union holds, oldest first."""
    qs = restrict(WorkerTransfer.objects.filter(status="pending"), user, Action.CHANGE)
    return list(qs.select_related("worker", "to_enterprise", "requested_by__org").order_by("id")[:limit])


def transfers_requested(*, user: StaffUser, limit: int = PAGE_SIZE) -> list[WorkerTransfer]:
    """The transfers the user asked for, newest first (the user's own records: no worker data)."""
    qs = WorkerTransfer.objects.filter(requested_by_id=user.pk).select_related("to_enterprise")
    return list(qs.order_by("-id")[:limit])


def transfer_get(*, user: StaffUser, pk: int, action: Action = Action.CHANGE) -> WorkerTransfer:
    """One transfer the user's union decides, or 404."""
    transfer = restrict(WorkerTransfer.objects.select_related("worker", "from_org"), user, action).filter(pk=pk).first()
    if transfer is None:
        raise Http404
    return transfer
