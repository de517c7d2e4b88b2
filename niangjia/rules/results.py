"""The engine's result: its statuses, schema and the type names the engine's functions share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import polars as pl

ELIGIBLE, NOT_ELIGIBLE, POSSIBLY = "eligible", "not_eligible", "possibly"
STATUS = pl.Enum([ELIGIBLE, NOT_ELIGIBLE, POSSIBLY])
_LIST = pl.List(pl.String)
# Columns repeated on every row of a policy are categorical: a 64-character hash costs 4 bytes a row.
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
}
SEP = "；"
CODE_SEP = ","
Reasons = Literal["all", "kept"]
# "polars": lazy plans (eager frames for a few households); "python": the compiled formulas'
# scalar forms on plain rows (niangjia.rules.scalar); "auto": python for a few households.
Backend = Literal["auto", "polars", "python"]
Tables = Mapping[str, pl.DataFrame | pl.LazyFrame | None]
H, P = "__h", "__p"  # dense integer keys of households and persons
SMALL = 64  # households held in memory up to this: the scalar backend (or eager Polars if forced)
