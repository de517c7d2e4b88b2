"""The parsed form of a policy file: plain frozen dataclasses, no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from niangjia.rules.policy.parameters import Parameter


@dataclass(frozen=True)
class Rule:
    """A named condition (must hold) or exclusion (must not hold), with its explanations."""

    id: str
    when: str
    pass_text: str
    fail_text: str
    unknown_text: str
    hint: str
    missing: str  # the fact to collect when the rule is unknown
    line: int


@dataclass(frozen=True)
class Level:
    """One rung of an ordered ladder (深度/相对/意外致困…): the first that holds wins."""

    id: str
    label: str
    when: str
    text: str
    line: int


@dataclass(frozen=True)
class Amount:
    """Money formula; with ``cap`` the result is ``min(value, cap − paid)``."""

    value: str
    cap: str | None
    paid: str | None
    text: str
    zero_text: str
    line: int


@dataclass(frozen=True)
class DocumentRule:
    """A document the application needs when ``when`` holds (or is unknown)."""

    kind: str
    when: str
    line: int


@dataclass(frozen=True)
class ArithmeticLine:
    """One line of a policy's worked arithmetic, as a cadre checks it against the papers.

    ``label``, ``value`` and ``note`` are text templates; the line shows when ``when`` holds.
    A member line (``arithmetic.members``) is shown once per household member, after their name.
    """

    label: str
    value: str
    note: str
    when: str
    line: int


@dataclass(frozen=True)
class MemberFact:
    """A fact of a household member to collect: named, with the member, when ``when`` holds for
    them and the household's result is *possibly* (``member_missing``)."""

    fact: str
    when: str
    line: int


@dataclass(frozen=True)
class Policy:
    """One policy file, validated."""

    id: str
    name: str
    version: str
    status: str
    issuer: str
    legal_basis: tuple[str, ...]
    effective_from: dt.date
    effective_to: dt.date | None
    entity: str  # household | person
    reads: dict[str, str]  # "table.column" → "sensitive" | "normal"
    parameters: dict[str, Parameter]  # own and shared ones it uses
    member_let: dict[str, tuple[str, int]]
    let: dict[str, tuple[str, int]]
    exclusions: tuple[Rule, ...]
    conditions: tuple[Rule, ...]
    levels: tuple[Level, ...]
    no_level_text: str
    no_level_hint: str
    amount: Amount | None
    documents: tuple[DocumentRule, ...]
    tests: tuple[dict[str, Any], ...]
    path: str
    content_hash: str
    parameters_hash: str
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict, compare=False, repr=False)
    arithmetic_members: tuple[ArithmeticLine, ...] = ()  # per member: what was counted and why
    arithmetic: tuple[ArithmeticLine, ...] = ()  # the entity's steps: sums, deductions, divisor, line
    # A person policy's "who could this apply to": a person for whom it is false gets no row.
    applies_to: str = ""
    applies_to_line: int = 0
    member_missing: tuple[MemberFact, ...] = ()  # household policy: which member lacks which fact

    def in_force(self, on: dt.date) -> bool:
        """Whether the policy is in force on ``on``."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)
