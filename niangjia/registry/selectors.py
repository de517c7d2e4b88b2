"""Reads of the registry. Every one starts from the scoping chokepoint.

Lists are keyset-paginated on id (newest first): `after_id` is the last id of the
previous page, so a page costs the same at row 10 and at row 10,000,000.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from pydantic import Field

from niangjia.api_fields import Filter, Id
from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.identifiers import normalize_phone, validate_id_number
from niangjia.core.scoping import Action, allows, restrict
from niangjia.orgs.choices import AreaLevel
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.registry.choices import EmploymentForm, Industry, Ownership, SizeClass
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


GIG = "gig"
if TYPE_CHECKING:
    JobForm = models.TextChoices
else:
    # The worker list's 用工形式 filter: any gig form at once ("gig"), or one form.
    JobForm = models.TextChoices(
        "JobForm", [("GIG", (GIG, "新就业形态(全部)")), *((m.name, (m.value, m.label)) for m in EmploymentForm)]
    )


AREA_HELP = "区划代码，含下级区划，如 610114"


class EnterpriseFilter(ListFilter):
    """The enterprise list's filter (page, export and API)."""

    q: Filter = Field("", title="名称或信用代码")
    area: Filter = Field("", title="区县", description=AREA_HELP)
    ownership: Ownership | None = Field(None, title="经济类型")
    size_class: SizeClass | None = Field(None, title="规模")
    industry: Industry | None = Field(None, title="行业")
    is_platform: bool | None = Field(None, title="平台企业")
    has_union: bool | None = Field(None, title="已建工会")

    def apply(self, qs: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
        """The filter applied to an already scoped queryset."""
        if self.area:
            qs = qs.filter(area__code__startswith=area_prefix(self.area))
        for name in ("ownership", "size_class", "industry", "is_platform"):
            if getattr(self, name) is not None:
                qs = qs.filter(**{name: getattr(self, name)})
        if self.has_union is not None:
            qs = qs.filter(union__isnull=not self.has_union)
        if self.q:
            qs = qs.filter(Q(name__contains=self.q) | Q(uscc=self.q.upper()))
        return qs


class WorkerFilter(ListFilter):
    """The worker list's filter (page, export and API); `q` searches as `worker_search` does."""

    q: Filter = Field("", title="查找", description="姓名、拼音首字母、证件号或手机号、证件或手机后4位")
    area: Filter = Field("", title="区县", description=AREA_HELP + "（在该区划的企业就业的职工）")
    form: JobForm | None = Field(None, title="用工形式")
    union_member: bool | None = Field(None, title="工会会员")
    is_migrant: bool | None = Field(None, title="农民工")
    enterprise_id: Id | None = Field(None, title="企业")

    def apply(self, qs: QuerySet[Worker]) -> QuerySet[Worker]:
        """The filter applied to an already scoped queryset."""
        current = Employment.objects.filter(end_date__isnull=True)
        if self.area:
            current = current.filter(enterprise__area__code__startswith=area_prefix(self.area))
        if self.enterprise_id:
            current = current.filter(enterprise_id=self.enterprise_id)
        if self.form == GIG:
            current = current.filter(form__startswith="gig_")
        elif self.form is not None:
            current = current.filter(form=self.form)
        if self.area or self.enterprise_id or self.form is not None:
            qs = qs.filter(pk__in=current.values("worker_id"))
        if self.union_member is not None:
            qs = qs.filter(union_member=self.union_member)
        if self.is_migrant is not None:
            qs = qs.filter(is_migrant=self.is_migrant)
        if self.q.strip():
            qs = qs.filter(_search_condition(self.q.strip()))
        return qs


def enterprise_queryset(
    *, user: StaffUser, filters: EnterpriseFilter, action: Action = Action.VIEW
) -> QuerySet[Enterprise]:
    """Enterprises in scope matching the filters (unordered, unpaginated: for exports)."""
    return filters.apply(restrict(Enterprise.objects.select_related("area", "org", "union"), user, action))


def area_choices(*, user: StaffUser) -> Choices:
    """The counties of the user's part of the union tree: the area filter's options.

    They come from the areas of the organizations in scope (a cadre's own), never from a fixed
    list, so a federation of any city offers its own districts and 阎良 staff see only 阎良.
    """
    codes = set(restrict(UnionOrg.objects.all(), user).values_list("area__code", flat=True).distinct())
    if user.org is not None:
        codes.add(user.org.area.code)
    counties = Area.objects.filter(level=AreaLevel.COUNTY, code__in={code[:6] for code in codes})
    return [(code, name) for code, name in counties.order_by("code").values_list("code", "name")]


ENTERPRISE_CHOICES_MAX = 50


def enterprise_choices(*, user: StaffUser, chosen: int | None = None) -> Choices | None:
    """The enterprise filter's options: the user's enterprises when they are few (a cadre's, a chair's).

    Otherwise only the chosen one (when in scope), or None: no drop-down of thousands.
    """
    scoped = restrict(Enterprise.objects.all(), user).order_by("name").values_list("pk", "name")
    few = list(scoped[: ENTERPRISE_CHOICES_MAX + 1])
    if len(few) <= ENTERPRISE_CHOICES_MAX:
        return [(str(pk), name) for pk, name in few]
    if chosen is None:
        return None
    return [(str(pk), name) for pk, name in scoped.filter(pk=chosen)]


def registry_counts(*, user: StaffUser) -> list[tuple[str, int]]:
    """How many enterprises, workers and households the user's scope holds."""
    return [
        ("企业", restrict(Enterprise.objects.all(), user).count()),
        ("职工", restrict(Worker.objects.filter(merged_into__isnull=True), user).count()),
        ("家庭", restrict(Household.objects.all(), user).count()),
    ]


def counts_by_org(*, user: StaffUser, org_path: str) -> dict[str, dict[str, int]]:
    """Enterprises and workers in scope under the organization at `org_path`, by their organization's path."""

    def per_org(qs: QuerySet[Any]) -> dict[str, int]:
        rows = qs.filter(org__path__startswith=org_path).values("org__path").annotate(n=Count("id"))
        return dict(rows.values_list("org__path", "n"))

    return {
        "enterprises": per_org(restrict(Enterprise.objects.all(), user)),
        "workers": per_org(restrict(Worker.objects.filter(merged_into__isnull=True), user)),
    }


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
    return filters.apply(restrict(Worker.objects.filter(merged_into__isnull=True).select_related("org"), user, action))


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
    if not q.strip():
        return []
    return worker_list(user=user, filters=WorkerFilter(q=q, enterprise_id=enterprise_id), limit=limit)


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


def household_of(*, user: StaffUser, worker: Worker) -> Household | None:
    """The household a worker belongs to, if the user may see it."""
    member = restrict(HouseholdMember.objects.filter(worker=worker), user).select_related("household").first()
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


def worker_history(*, user: StaffUser, worker: Worker) -> QuerySet[Employment]:
    """The worker's employments the user may see, latest first."""
    jobs = restrict(Employment.objects.filter(worker=worker), user)
    return jobs.select_related("enterprise").order_by("-start_date", "-id")


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
