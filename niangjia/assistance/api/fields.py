"""Constrained inputs the assistance API shares."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints

from niangjia.api_fields import NO_NUL

Note = Annotated[str, StringConstraints(max_length=500, pattern=NO_NUL)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]
Text200 = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)]
Text1000 = Annotated[str, StringConstraints(max_length=1000, pattern=NO_NUL)]
Text2000 = Annotated[str, StringConstraints(max_length=2000, pattern=NO_NUL)]
PolicyId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]
Cursor = Annotated[str, StringConstraints(max_length=40, pattern=r"^(\d{1,2}\.\d{8}\.\d{1,19})?$")]
Move = Annotated[str, StringConstraints(min_length=1, max_length=24, pattern=r"^[a-z_]+$")]


class MoveIn(Schema):
    """A move of an application or an archive entry (the move's name, as the detail's `moves` list them)."""

    move: Move
    note: Note = ""
