"""The engine's decision on households (or members) and a policy, on the facts of a day.

The same path as screening (`screening.extract.extract_tables` and `rules.screen`), for one policy:
one extract and one evaluation for one household or for the hundreds a round files at once.
`papers_required` evaluates with no documents on file, so its missing list is every paper the
policy asks of the household.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError

from niangjia.rules import Policy, screen
from niangjia.screening.extract import extract_tables
from niangjia.screening.pack import current_policies

WARMTH = "warmth"
# Policies that pay nothing: the archive is applied for through the hardship archive, reviews are work items.
NO_MONEY_ROUTES = {"hardship_archive": "请在困难职工档案中建档", "archive_review": "请在困难职工档案中办理年度复核"}
Key = tuple[int, int | None]


def policy_get(policy_id: str) -> Policy:
    """A published policy by id, or a Chinese ValidationError."""
    for policy in current_policies():
        if policy.id == policy_id:
            return policy
    raise ValidationError({"policy_id": f"没有已发布的政策“{policy_id[:64]}”。"})


def payable_policy(policy_id: str) -> Policy:
    """A published policy that pays money (one an application can be filed for)."""
    if policy_id in NO_MONEY_ROUTES:
        raise ValidationError({"policy_id": f"该政策不发放资金，{NO_MONEY_ROUTES[policy_id]}。"})
    policy = policy_get(policy_id)
    if policy.amount is None:
        raise ValidationError({"policy_id": f"“{policy.name}”不发放资金，不能申请。"})
    return policy


def evaluate_many(
    *, household_ids: Sequence[int], policy: Policy, as_of: date, without_documents: bool = False
) -> dict[Key, dict[str, Any]]:
    """The engine's outcomes for these households and the policy as of `as_of`, by (household, member or None)."""
    if not household_ids:
        return {}
    tables = extract_tables(household_ids=list(household_ids))
    if without_documents:
        tables["documents"] = tables["documents"].clear()
    frame = screen([policy], tables, as_of, reasons="all")
    assert isinstance(frame, pl.DataFrame)
    found: dict[Key, dict[str, Any]] = {}
    for row in frame.with_columns(pl.col("status").cast(pl.String)).iter_rows(named=True):
        person = row["person_id"]
        found[(int(row["household_id"]), int(person) if person else None)] = row
    return found


def evaluate(
    *, household_id: int, policy: Policy, member_id: int | None, as_of: date, without_documents: bool = False
) -> dict[str, Any] | None:
    """The engine's outcome for this household (or member) and policy as of `as_of` (None: the policy gives no row)."""
    found = evaluate_many(household_ids=[household_id], policy=policy, as_of=as_of, without_documents=without_documents)
    return found.get((household_id, member_id))


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
