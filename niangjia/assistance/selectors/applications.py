"""Reads of applications: the list with its filter, one application with its papers, decisions and timeline."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from pydantic import Field

from niangjia.api_fields import Filter
from niangjia.assistance.choices import ApplicationStatus, ApprovalLevel
from niangjia.assistance.models import Application, Paper, PaperFile
from niangjia.assistance.services.applications import district_approval_max, may_approve, missing_papers
from niangjia.assistance.workflow import APPLICATION_MOVES, SUPERVISORS, allowed
from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows, require_action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry import selectors as registry_selectors
from niangjia.registry.selectors import area_prefix
from niangjia.screening.pack import current_policies, policy_names

PAGE_SIZE = 50


class ApplicationFilter(ListFilter):
    """The application list's filter (page and API)."""

    status: ApplicationStatus | None = Field(None, title="状态")
    policy_id: Filter = Field("", title="政策")
    area: Filter = Field("", title="区县", description="区划代码，含下级区划")
    proxy: bool | None = Field(None, title="干部代办")
    to_approve: bool | None = Field(None, title="待我审批")

    def apply(self, qs: QuerySet[Application], user: StaffUser) -> QuerySet[Application]:
        if self.status is not None:
            qs = qs.filter(status=self.status.value)
        if self.policy_id:
            qs = qs.filter(policy_id=self.policy_id)
        if self.area:
            qs = qs.filter(household__area__code__startswith=area_prefix(self.area))
        if self.proxy is not None:
            qs = qs.filter(filed_by_proxy=self.proxy)
        if self.to_approve:
            qs = qs.filter(status=ApplicationStatus.SUBMITTED).exclude(Q(filed_by=user) | Q(submitted_by=user))
            if user.role == Role.DISTRICT_STAFF:
                qs = qs.filter(amount__lte=district_approval_max())
            elif user.role != Role.CITY_ADMIN and not user.is_superuser:
                qs = qs.none()
        return qs


def application_choices(*, user: StaffUser) -> dict[str, Choices]:
    return {
        "policy_id": list(policy_names(current_policies()).items()),
        "area": registry_selectors.area_choices(user=user),
    }


def application_list(
    *, user: StaffUser, filters: ApplicationFilter, before_id: int | None = None, limit: int = PAGE_SIZE
) -> list[Application]:
    """One keyset page of applications in scope, newest first, with the applicant."""
    require_action(user, Action.SENSITIVE)
    qs = filters.apply(restrict(Application.objects.all(), user), user)
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    return list(qs.select_related("applicant", "member", "household__area", "filed_by").order_by("-id")[:limit])


def application_get(*, user: StaffUser, pk: int, action: Action = Action.VIEW) -> Application:
    require_action(user, Action.SENSITIVE)
    qs = restrict(Application.objects.select_related("applicant", "member", "household__area", "org", "filed_by",
                                                     "decided_by", "commitment__pool"), user, action)  # fmt: skip
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def application_detail(*, user: StaffUser, application: Application) -> dict[str, Any]:
    """Papers with their files, the engine's decisions, the timeline and the moves the user may make."""
    papers = list(application.papers.prefetch_related("files"))
    moves = allowed(APPLICATION_MOVES, status=application.status, user=user) if allows(user, Action.CHANGE) else []
    approver = user.is_superuser or user.role in SUPERVISORS
    refusal = may_approve(user, application) if approver and application.status == ApplicationStatus.SUBMITTED else ""
    if refusal:
        moves = [m for m in moves if m.move not in ("approve", "reject")]
    return {
        "papers": papers,
        "missing": missing_papers(application),
        "decisions": list(application.decisions.select_related("checked_by")),
        "events": list(application.events.select_related("actor")),
        "moves": moves,
        "approval_refusal": refusal,
        "city_needed": application.approval_level == ApprovalLevel.CITY,
    }


def paper_get(*, user: StaffUser, pk: int, action: Action = Action.CHANGE) -> Paper:
    found = restrict(Paper.objects.select_related("application"), user, action).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def paper_file_get(*, user: StaffUser, pk: int) -> PaperFile:
    require_action(user, Action.SENSITIVE)
    found = restrict(PaperFile.objects.select_related("paper__application"), user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def applications_of_household(*, user: StaffUser, household_id: int, limit: int = 20) -> list[Application]:
    return list(restrict(Application.objects.filter(household_id=household_id), user).order_by("-id")[:limit])


def open_application(
    *, user: StaffUser, household_id: int, policy_id: str, member_id: int | None
) -> Application | None:
    """The household's application in progress for this policy (and member), if any."""
    from niangjia.assistance.choices import OPEN_APPLICATION

    qs = restrict(Application.objects.all(), user).filter(
        household_id=household_id, policy_id=policy_id, member_id=member_id, status__in=OPEN_APPLICATION
    )
    return qs.first()


def sheet_row(application: Application) -> dict[str, Any]:
    """One line of an approval sheet."""
    return {
        "name": application.applicant.name,
        "area": application.household.area.name,
        "policy": application.policy_name,
        "level": application.level_label,
        "amount": application.approved_amount if application.approved_amount is not None else application.amount,
        "result": application.get_status_display(),
    }
