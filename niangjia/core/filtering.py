"""A list's filter, declared once: its selector reads it, its page shows it, its API takes it, its export names it.

A filter is a frozen pydantic model. A field's `title` is its Chinese label. Its choices come from its type (a
`TextChoices` enum's labels, 是/否 for a boolean) or, where they depend on the user (their districts, their
policies), from the selector that builds the page. The API takes the same model as query parameters
(`Query[WorkerFilter]`), so the page, the export and the API accept exactly the same values.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self, Union, get_args, get_origin
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, ValidationError

Choices = list[tuple[str, str]]
YES_NO: Choices = [("1", "是"), ("0", "否")]


class ListFilter(BaseModel):
    """Base of the list filters: immutable, unknown query keys ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> Self:
        """The filter a page's query string asks for; an empty or invalid value means "all" for that field."""
        data = {name: str(query.get(name, "")).strip() for name in cls.model_fields}
        data = {name: value for name, value in data.items() if value}
        while True:
            try:
                return cls.model_validate(data)
            except ValidationError as error:
                invalid = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]} & data.keys()
                if not invalid:
                    return cls()
                for name in invalid:
                    del data[name]

    def chosen(self) -> dict[str, Any]:
        """The fields set to something other than "all", by name."""
        return {
            name: value for name, value in self if value != type(self).model_fields[name].get_default() and value != ""
        }

    def query(self, **extra: Any) -> str:
        """The query string of the chosen fields (the page's, the export's and the API's), and `extra`."""
        return urlencode({name: _as_query(value) for name, value in (self.chosen() | extra).items()})

    def describe(self, choices: Mapping[str, Choices] | None = None) -> str:
        """The chosen fields in Chinese, "农民工：是；区县：阎良区" ("全部" when none)."""
        parts = []
        for name, value in self.chosen().items():
            field = type(self).model_fields[name]
            options = dict(field_choices(type(self), name, choices) or [])
            parts.append(f"{field.title or name}：{options.get(_as_query(value), value)}")
        return "；".join(parts) or "全部"


@dataclass(frozen=True)
class FilterField:
    """One drop-down of a list page: what it filters, its options and the chosen value ("" for all)."""

    name: str
    label: str
    choices: Choices
    value: str


def filter_fields(filters: ListFilter, choices: Mapping[str, Choices] | None = None) -> list[FilterField]:
    """The drop-downs of a list page, in declaration order: every field that has choices."""
    chosen = filters.chosen()
    fields = []
    for name, field in type(filters).model_fields.items():
        options = field_choices(type(filters), name, choices)
        if options is not None:
            value = _as_query(chosen[name]) if name in chosen else ""
            fields.append(FilterField(name=name, label=field.title or name, choices=options, value=value))
    return fields


def field_choices(cls: type[ListFilter], name: str, choices: Mapping[str, Choices] | None = None) -> Choices | None:
    """A field's options: given for the user (`choices`), else from its type; None for free text."""
    if choices and name in choices:
        return choices[name]
    kinds = [kind for kind in _members(cls.model_fields[name].annotation) if kind is not type(None)]
    if kinds == [bool]:
        return YES_NO
    if len(kinds) == 1 and isinstance(kinds[0], type) and issubclass(kinds[0], enum.Enum):
        return [(str(member.value), str(getattr(member, "label", member.value))) for member in kinds[0]]
    return None


def _members(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _as_query(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)
