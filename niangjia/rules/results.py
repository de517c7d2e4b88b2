"""The engine's result: its statuses, schema and the type names the engine's functions share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from niangjia.rules.policy.model import Policy

ELIGIBLE, NOT_ELIGIBLE, POSSIBLY = "eligible", "not_eligible", "possibly"
STATUS = pl.Enum([ELIGIBLE, NOT_ELIGIBLE, POSSIBLY])
_LIST = pl.List(pl.String)
# The columns that repeat a policy's identity on each of its rows. A screening types them as an
# Enum of its pack's values (:func:`result_schema`): 4 bytes a row, and parquet writes them as a
# fixed dictionary. Results of different packs are combined after casting them to String.
META = ("policy_id", "policy_version", "content_hash", "parameters_hash")
_META_ATTRS = ("id", "version", "content_hash", "parameters_hash")
# The shape of the results; a screening's own schema is ``result_schema(its policies)``.
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "policy_id": pl.Categorical(),
    "policy_version": pl.Categorical(),
    "content_hash": pl.Categorical(),
    "parameters_hash": pl.Categorical(),
    "as_of": pl.Date(),
    "household_id": pl.String(),
    "person_id": pl.String(),
    "status": STATUS,
    "level": pl.String(),
    "level_label": pl.String(),
    "amount": pl.Decimal(18, 2),
    "reasons": pl.String(),
    "hint": pl.String(),
    "missing_facts": _LIST,
    "missing_documents": _LIST,
    # Parallel to missing_facts: the person each fact is of (null: the household's).
    "missing_fact_persons": _LIST,
}


def identity(policy: Policy) -> dict[str, str]:
    """The values of the :data:`META` columns on each of ``policy``'s rows."""
    return {c: str(getattr(policy, a)) for c, a in zip(META, _META_ATTRS, strict=True)}


def result_schema(policies: Iterable[Policy]) -> dict[str, pl.DataType]:
    """:data:`RESULT_SCHEMA` with the policy columns, level and level label as Enums of these
    policies' values (sorted)."""
    policies = list(policies)
    values = [identity(p) for p in policies]
    enums = {c: pl.Enum(sorted({v[c] for v in values})) for c in META}
    levels = [level for p in policies for level in p.levels]
    enums["level"] = pl.Enum(sorted({level.id for level in levels}))
    enums["level_label"] = pl.Enum(sorted({level.label for level in levels}))
    return RESULT_SCHEMA | enums


SEP = "；"
CODE_SEP = ","
Reasons = Literal["all", "kept"]
# "polars": lazy plans (eager frames for a few households); "python": the compiled formulas'
# scalar forms on plain rows (niangjia.rules.backends.python); "auto": python for a few households.
Backend = Literal["auto", "polars", "python"]
Tables = Mapping[str, pl.DataFrame | pl.LazyFrame | None]
H, P = "__h", "__p"  # dense integer keys of households and persons


@dataclass(frozen=True)
class TraceLine:
    """One line of a policy's worked arithmetic (its ``arithmetic:`` section), rendered."""

    label: str
    value: str
    note: str = ""
    person_id: str | None = None  # a member line: the page puts the member's name before it


@dataclass(frozen=True)
class MemberValues:
    """One household member's ``member_let`` values as the evaluation computed them."""

    person_id: str | None
    values: dict[str, Any]


@dataclass(frozen=True)
class Trace:
    """One (entity, policy) outcome with the values its own evaluation computed, and its arithmetic.

    ``result`` is the outcome as :func:`niangjia.rules.screen_records` gives it. ``values`` holds
    the ``let`` variables (and a person policy's ``member_let`` ones), then ``level`` and, with an
    amount, ``amount``, ``cap``, ``paid``, ``remaining`` — money as exact ``Decimal`` yuan (``pc``
    unrounded, as the levels compared it), ``None`` for unknown. ``computed`` is False when the
    entity was decided before the computation (a cheap rule ruled it out, or the policy was not in
    force): then only the cheap variables are there. ``lines`` are given only when no condition
    or exclusion failed: otherwise that rule, not the arithmetic, decided the outcome.
    """

    result: dict[str, Any]
    computed: bool
    values: dict[str, Any]
    members: tuple[MemberValues, ...]
    lines: tuple[TraceLine, ...]

    @property
    def policy_id(self) -> str:
        return str(self.result["policy_id"])

    @property
    def person_id(self) -> str | None:
        pid = self.result["person_id"]
        return None if pid is None else str(pid)
