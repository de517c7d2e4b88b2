"""The engine's decision on one household (or member) and policy, on the facts of a day.

The same path as the screening household page (`screening.extract.extract_tables` and
`rules.explain_household`), for one policy: milliseconds. `papers_required` evaluates with no
documents on file, so its missing list is every paper the policy asks of this household.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from niangjia.rules import Policy, explain_household
from niangjia.screening.extract import extract_tables
from niangjia.screening.pack import current_policies

WARMTH = "warmth"
# Policies that pay nothing: the archive is applied for through the hardship archive, reviews are work items.
NO_MONEY_ROUTES = {"hardship_archive": "请在困难职工档案中建档", "archive_review": "请在困难职工档案中办理年度复核"}


def policy_get(policy_id: str) -> Policy:
    """A published policy by id, or a Chinese ValidationError."""
    for policy in current_policies():
        if policy.id == policy_id:
            return policy
    raise ValidationError({"policy_id": f"没有已发布的政策“{policy_id}”。"})


def payable_policy(policy_id: str) -> Policy:
    """A published policy that pays money (one an application can be filed for)."""
    if policy_id in NO_MONEY_ROUTES:
        raise ValidationError({"policy_id": f"该政策不发放资金，{NO_MONEY_ROUTES[policy_id]}。"})
    return policy_get(policy_id)


def evaluate(
    *, household_id: int, policy: Policy, member_id: int | None, as_of: date, without_documents: bool = False
) -> dict[str, Any] | None:
    """The engine's outcome for this household (or member) and policy as of `as_of` (None: the policy gives no row)."""
    tables = extract_tables(household_ids=[household_id])
    if without_documents:
        tables["documents"] = tables["documents"].clear()
    person = str(member_id) if member_id is not None else None
    for trace in explain_household([policy], tables, str(household_id), as_of):
        if trace.person_id == person:
            return dict(trace.result)
    return None


def papers_required(*, household_id: int, policy: Policy, member_id: int | None, as_of: date) -> list[str]:
    """Every paper the policy asks of this household or member, whether on file or not."""
    result = evaluate(
        household_id=household_id, policy=policy, member_id=member_id, as_of=as_of, without_documents=True
    )
    return list(result["missing_documents"] or []) if result else []


def period_of(policy_id: str, day: date) -> int:
    """The period a payment on `day` counts for: the warmth season's start year, else the calendar year."""
    if policy_id == WARMTH and day.month <= 2:
        return day.year - 1
    return day.year
