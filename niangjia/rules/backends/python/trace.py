"""A household's computation, from the scalar backend's own evaluation (not a second one).

:func:`evaluate` hands back the row each result was decided on — inputs, ``let`` values, level,
amount — and keeps each member's ``member_let`` values on the household; this module reads them
out and renders the policy's ``arithmetic:`` lines on those same rows. Nothing is recomputed:
a trace's ``pc`` is the very value the levels compared.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from niangjia.rules.backends.python.evaluate import evaluate
from niangjia.rules.backends.python.household import Household
from niangjia.rules.language.typed import Row
from niangjia.rules.policy.arithmetic import CompiledLine
from niangjia.rules.policy.plan import Plan
from niangjia.rules.results import RESULT_SCHEMA, H, MemberValues, Trace, TraceLine

_KEYS = tuple(RESULT_SCHEMA)
_AMOUNT_PARTS = ("amount", "cap", "paid", "remaining")


def explain(plan: Plan, hh: Household) -> list[Trace]:
    """Evaluate ``plan`` on the household's rows (full reasons) and trace each result."""
    envs: list[Row | None] = []
    results = evaluate(plan, hh, "all", envs)
    members = hh.members.get(id(plan), {}).get(False, {})  # computed only if the evaluation needed them
    return [
        _trace(plan, dict(zip(_KEYS, result, strict=True)), env, members)
        for result, env in zip(results, envs, strict=True)
    ]


def _trace(plan: Plan, result: dict[str, Any], env: Row | None, members: dict[int, list[Row]]) -> Trace:
    if env is None:
        return Trace(result, False, {}, (), ())
    computed = "__lvl" in env  # set by the decision step, which a ruled-out entity never reaches
    kinds = {name: t.kind for name, t in plan.lets}
    if plan.policy.entity == "person":
        kinds = {name: t.kind for name, t in plan.member_lets} | kinds
    values = {name: _value(env[name], kind) for name, kind in kinds.items() if name in env}
    if computed:
        values["level"] = env["level"]
        if plan.amount_value is not None:
            values |= {name: _value(env[name], "money") for name in _AMOUNT_PARTS}
    own = members.get(env[H], []) if env.get(H) is not None else []
    member_kinds = {name: t.kind for name, t in plan.member_lets}
    traced = tuple(
        MemberValues(m["person_id"], {name: _value(m[name], kind) for name, kind in member_kinds.items()}) for m in own
    )
    lines: list[TraceLine] = []
    if computed and env["__rules"] is not False:  # a failed condition, not the arithmetic, decided
        for m in own:
            lines += [_render(line, m, m["person_id"]) for line in plan.arithmetic_members if _shown(line, m)]
        lines += [_render(line, env, None) for line in plan.arithmetic if _shown(line, env)]
    return Trace(result, computed, values, traced, tuple(lines))


def _value(v: Any, kind: str) -> Any:
    """An evaluated value for readers: money (fen inside) as exact yuan, unrounded."""
    if v is None or kind != "money":
        return v
    return Decimal(v).scaleb(-2)


def _shown(line: CompiledLine, row: Row) -> bool:
    return line.when is None or line.when.fn(row) is True


def _render(line: CompiledLine, row: Row, person_id: str | None) -> TraceLine:
    def text(t: Any) -> str:
        return "" if t is None else str(t.fn(row))

    return TraceLine(text(line.label), text(line.value), text(line.note), person_id)
