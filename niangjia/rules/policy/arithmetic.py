"""A policy's ``arithmetic:`` section — how its computation reads to a person checking the papers.

::

    arithmetic:
      members:                      # one line per household member, after the member's name
        - when: imputed
          value: "{counted_income} 元"
          note: 有劳动能力未就业，按最低工资 {min_wage} 元计
      lines:                        # the steps, in order
        - {label: 家庭人口, value: "{size} 人"}

``label``, ``value`` and ``note`` are text templates (the level texts' formatting: money as yuan
with 2 decimals, unknown as 未知); ``when`` (default true) shows the line only when it holds
(``not is_known(x)`` for a line about an unknown). Templates and conditions may name only values
the evaluation already has — fields, parameters, ``member_let``/``let`` variables, and for
``lines`` also ``level``, ``amount``, ``cap``, ``paid``, ``remaining`` — never an aggregation, so
what the page shows is the engine's own values, not a second computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from niangjia.rules.language.explanations import compile_template
from niangjia.rules.language.expression import Compiler, Scope
from niangjia.rules.language.typed import ExprError, Typed
from niangjia.rules.policy.errors import PolicyIssue
from niangjia.rules.policy.model import ArithmeticLine

if TYPE_CHECKING:  # loading and plan call these functions; they import this module, not the reverse
    from niangjia.rules.policy.loading import _Reader
    from niangjia.rules.policy.plan import _Builder

LINE_KEYS = ("label", "value", "note", "when")
PARTS = ("members", "lines")


@dataclass(frozen=True)
class CompiledLine:
    """An arithmetic line with its templates and condition compiled (scalar forms used)."""

    label: Typed | None
    value: Typed | None
    note: Typed | None
    when: Typed | None  # None: always shown


def read_arithmetic(r: _Reader, data: dict[str, Any]) -> tuple[tuple[ArithmeticLine, ...], tuple[ArithmeticLine, ...]]:
    """The optional section's ``members`` and ``lines``, structurally checked."""
    if "arithmetic" not in data:
        return (), ()
    section = r.get(("arithmetic",), dict, default={})
    for key in section:
        if key not in PARTS:
            r.fail(
                ("arithmetic", key),
                f"arithmetic 中未知的字段：{key}",
                "只能写 members（每位成员一行）和 lines（计算步骤）",
            )
    if not any(section.get(part) for part in PARTS):
        r.fail(("arithmetic",), "arithmetic 中没有任何一行", "在 members 或 lines 下列出要显示的行，或删除 arithmetic")
    return _read_part(r, "members"), _read_part(r, "lines")


def _read_part(r: _Reader, part: str) -> tuple[ArithmeticLine, ...]:
    base = ("arithmetic", part)
    out = []
    for i, entry in enumerate(r.get(base, list, required=False, default=[])):
        p = (*base, i)
        if not isinstance(entry, dict):
            r.fail(p, f"arithmetic.{part} 的第 {i + 1} 项应为映射", '写成 - {label: 家庭人口, value: "{size} 人"}')
            continue
        for key in entry:
            if key not in LINE_KEYS:
                r.fail((*p, key), f"算式说明中未知的字段：{key}", f"可用字段：{'、'.join(LINE_KEYS)}")
        out.append(
            ArithmeticLine(
                # A member line is labelled with the member's name; its own label is optional.
                r.get((*p, "label"), str, required=part == "lines", default=""),
                r.get((*p, "value"), str, default=""),
                r.get((*p, "note"), str, required=False, default=""),
                str(r.get((*p, "when"), (str, bool), required=False, default="True")),
                r.line(p) or 0,
            )
        )
    return tuple(out)


def compile_arithmetic(b: _Builder) -> None:
    """Compile the section into ``plan.arithmetic_members`` / ``plan.arithmetic`` (after levels and amount)."""
    plan, policy = b.plan, b.policy
    members = plan.scope.relations["members"]
    plan.arithmetic_members = [_line(b, line, members) for line in policy.arithmetic_members]
    plan.arithmetic = [_line(b, line, plan.scope) for line in policy.arithmetic]


def _line(b: _Builder, line: ArithmeticLine, scope: Scope) -> CompiledLine:
    return CompiledLine(
        _template(b, line.label, scope, line.line),
        _template(b, line.value, scope, line.line),
        _template(b, line.note, scope, line.line),
        _condition(b, line.when, scope, line.line),
    )


def _template(b: _Builder, template: str, scope: Scope, line: int) -> Typed | None:
    try:
        t = compile_template(template, scope)
    except ExprError as exc:
        b.issues.append(PolicyIssue(b.policy.path, line, f"算式说明「{template}」：{exc.message}", exc.fix))
        return None
    if t is not None:
        b.plan.arithmetic_fields |= t.fields
    return t


def _condition(b: _Builder, source: str, scope: Scope, line: int) -> Typed | None:
    if source == "True":
        return None
    known = len(scope.aggs)
    try:
        t = Compiler(scope).compile(source)
    except ExprError as exc:
        b.issues.append(
            PolicyIssue(
                b.policy.path, line, f"算式说明的条件「{source}」第 {exc.col + 1} 个字符处：{exc.message}", exc.fix
            )
        )
        return None
    if len(scope.aggs) > known:
        del scope.aggs[known:]  # an aggregation here would be computed for the page only: refused
        b.issues.append(
            PolicyIssue(
                b.policy.path, line, f"算式说明的条件「{source}」不能做关联表汇总", "把汇总写在 let 中，这里引用变量名"
            )
        )
        return None
    if t.kind != "bool":
        b.issues.append(
            PolicyIssue(b.policy.path, line, f"算式说明的条件「{source}」的结果不是真假值", "写成比较或逻辑表达式")
        )
        return None
    b.plan.arithmetic_fields |= t.fields
    return t
