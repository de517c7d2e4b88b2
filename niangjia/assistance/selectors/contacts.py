"""Reads of one-to-one contact households: due and overdue lists, one household's contacts."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import Http404
from pydantic import Field

from niangjia.assistance.models import ContactHousehold, ContactLog
from niangjia.assistance.selectors.archive import attach_heads
from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import StaffUser

PAGE_SIZE = 50
DUE_SOON_DAYS = 7
DUE_CHOICES: Choices = [("overdue", "已逾期"), ("soon", "7 天内到期"), ("all", "全部")]


class ContactFilter(ListFilter):
    due: str = Field("", title="联系期限", pattern=r"^(|overdue|soon|all)$")
    mine: bool | None = Field(None, title="我负责的")

    def apply(self, qs: QuerySet[ContactHousehold], user: StaffUser, today: date) -> QuerySet[ContactHousehold]:
        if self.due == "overdue":
            qs = qs.filter(next_due_on__lt=today)
        elif self.due == "soon":
            qs = qs.filter(next_due_on__gte=today, next_due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        if self.mine:
            qs = qs.filter(cadre=user)
        return qs


def contact_choices() -> dict[str, Choices]:
    return {"due": DUE_CHOICES}


def contact_list(
    *,
    user: StaffUser,
    filters: ContactFilter,
    today: date,
    after: tuple[date, int] | None = None,
    limit: int = PAGE_SIZE,
) -> list[ContactHousehold]:
    """Active contact households in scope, the most overdue first (keyset on due date and id)."""
    qs = filters.apply(restrict(ContactHousehold.objects.filter(active=True), user), user, today)
    if after is not None:
        from django.db.models import Q

        qs = qs.filter(Q(next_due_on__gt=after[0]) | Q(next_due_on=after[0], pk__gt=after[1]))
    rows = list(qs.select_related("household__area", "cadre").order_by("next_due_on", "id")[:limit])
    attach_heads(rows)
    return rows


def contact_get(*, user: StaffUser, pk: int, action: Action = Action.VIEW) -> ContactHousehold:
    found = (
        restrict(ContactHousehold.objects.select_related("household__area", "cadre"), user, action)
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    attach_heads([found])
    return found


def contact_logs(*, user: StaffUser, contact: ContactHousehold, limit: int = 50) -> list[ContactLog]:
    return list(restrict(ContactLog.objects.filter(contact=contact), user).select_related("cadre")[:limit])


def contact_of_household(*, user: StaffUser, household_id: int) -> ContactHousehold | None:
    return restrict(ContactHousehold.objects.filter(household_id=household_id, active=True), user).first()
