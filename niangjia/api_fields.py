"""Constrained types the API's schemas share, so every input has a range the OpenAPI document shows.

The ranges themselves are named in `niangjia.core.ranges` (docs/ranges.md); model validators
apply the same ones to the web forms and the import.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from niangjia.core.ranges import DATE_MAX, DATE_MIN, ID_MAX, PAGE_MAX

# PostgreSQL refuses NUL in text (a 500 if it reaches the database), so no input may carry one.
NO_NUL = r"^[^\x00]*$"

Id = Annotated[int, Field(ge=1, le=ID_MAX, description="记录编号（正整数）")]
# after_id / before_id: a page starts after any id, 0 included.
Cursor = Annotated[int, Field(ge=0, le=ID_MAX)]
PageSize = Annotated[int, Field(ge=1, le=PAGE_MAX)]
Day = Annotated[
    date,
    Field(
        ge=DATE_MIN,
        le=DATE_MAX,
        description=f"日期，{DATE_MIN.isoformat()} 至 {DATE_MAX.isoformat()}",
        json_schema_extra={"formatMinimum": DATE_MIN.isoformat(), "formatMaximum": DATE_MAX.isoformat()},
    ),
]


# Strings of at most N characters (the model field's max_length), without NUL.
Text12 = Annotated[str, StringConstraints(max_length=12, pattern=NO_NUL)]
Text16 = Annotated[str, StringConstraints(max_length=16, pattern=NO_NUL)]
Text32 = Annotated[str, StringConstraints(max_length=32, pattern=NO_NUL)]
Text64 = Annotated[str, StringConstraints(max_length=64, pattern=NO_NUL)]
Text200 = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)]
# Query filters and search words.
Filter = Annotated[str, StringConstraints(max_length=100, pattern=NO_NUL)]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def omitted() -> Any:
    """Default of a PATCH field that may be left out but not sent as null (the column is NOT NULL)."""
    return Field(None, json_schema_extra=_no_default)
