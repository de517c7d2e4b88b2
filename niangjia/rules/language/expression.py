"""The safe expression language: Python-looking formulas parsed by ``ast`` in whitelist mode.

Nothing is ever ``eval``-ed. Each node kind we accept is translated to a Polars expression;
everything else (attributes, lambdas, comprehensions, dunder names…) is rejected with a Chinese
message. Values are three-valued: a null Polars value means *unknown* and propagates through
Kleene ``and``/``or``, so an unknown fact yields ``possibly`` instead of a silent ``False``.

Money is integer fen (``kind == "money"``); plain numbers written next to money are yuan and
are scaled by 100 here, so authors write ``min(cost, 3000)`` and never think about fen.

Two backends, one semantics: every node is compiled, in the same place, to a Polars expression
(``Typed.expr``, the registry) *and* to a Python closure over one row (``Typed.fn``, one
household). ``None`` is unknown in the closures exactly as null is in Polars (Kleene ``and``/
``or``, unknown in → unknown out), and the property test compares both on random households.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from niangjia.rules.language.functions import FUNCTIONS
from niangjia.rules.language.typed import (
    NUMERIC,
    ExprError,
    Fn,
    Row,
    Typed,
    as_kind,
    check_vocabulary,
    combine,
    const,
    k_and,
    lifted,
    to_fen,
    unify,
)


@dataclass
class AggRequest:
    """An aggregation over a related table, computed by the engine and joined back."""

    alias: str
    relation: str
    agg: pl.Expr
    empty: Any  # value for an entity with no related rows
    dtype: pl.DataType
    heads_only: bool = False  # aggregate the rows with relation == 'head' only (``head(x)``)
    fn: Callable[[list[Row]], Any] | None = None  # the same aggregation over one entity's rows


@dataclass
class Scope:
    """Names visible to a formula, and where aggregations over related tables are collected."""

    as_of: dt.date
    names: dict[str, Typed] = field(default_factory=dict)
    mappings: dict[str, dict[str, Typed]] = field(default_factory=dict)
    relations: dict[str, Scope] = field(default_factory=dict)
    aggs: list[AggRequest] = field(default_factory=list)
    relation_name: str | None = None  # set on a relation's inner scope

    def child(self, relation: str) -> Scope:
        """Return the scope of formulas evaluated on rows of ``relation``."""
        inner = self.relations.get(relation)
        if inner is None:
            raise ExprError(f"未知的关联表：{relation}", f"可用的关联表：{'、'.join(sorted(self.relations)) or '无'}")
        return inner

    def add_agg(
        self,
        relation: str,
        agg: pl.Expr,
        empty: Any,
        dtype: pl.DataType,
        heads_only: bool = False,
        fn: Callable[[list[Row]], Any] | None = None,
    ) -> str:
        alias = f"__agg{len(self.aggs)}"
        self.aggs.append(AggRequest(alias, relation, agg, empty, dtype, heads_only, fn))
        return alias


_CMP: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
_SYNTAX_NAMES = {
    ast.Attribute: "属性访问（a.b）",
    ast.Lambda: "lambda",
    ast.ListComp: "列表推导式",
    ast.GeneratorExp: "生成器表达式",
    ast.DictComp: "字典推导式",
    ast.SetComp: "集合推导式",
    ast.Starred: "星号展开",
    ast.NamedExpr: "赋值表达式（:=）",
    ast.Await: "await",
    ast.JoinedStr: "f 字符串",
    ast.Dict: "字典",
}
MAX_LENGTH = 2000


class Compiler:
    """Translate one formula into a :class:`Typed` Polars expression within a :class:`Scope`."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.text = ""

    def compile(self, source: str) -> Typed:
        """Parse and compile ``source``; raise :class:`ExprError` on anything not whitelisted."""
        if not isinstance(source, str | bool | int):
            raise ExprError("公式必须是字符串", "把公式写成一行文字，例如 homes_owned >= 2")
        text = str(source)
        if len(text) > MAX_LENGTH:
            raise ExprError("公式过长", f"拆成多个 let 变量，每个不超过 {MAX_LENGTH} 个字符")
        self.text = text.strip()
        try:
            tree = ast.parse(self.text, mode="eval")
        except SyntaxError as exc:
            raise ExprError(f"公式语法错误：{exc.msg}", "检查括号、引号和运算符", (exc.offset or 1) - 1) from None
        return self.visit(tree.body)

    def within(self, relation: str) -> Compiler:
        """A compiler for formulas over the rows of ``relation`` (same source text, for positions)."""
        inner = Compiler(self.scope.child(relation))
        inner.text = self.text
        return inner

    def visit(self, node: ast.expr) -> Typed:
        """Compile one node (the whitelist lives here)."""
        method = getattr(self, f"_v_{type(node).__name__}", None)
        if method is None:
            what = _SYNTAX_NAMES.get(type(node), type(node).__name__)
            raise ExprError(
                f"不支持的语法：{what}",
                "只能使用字段名、数字、字符串、比较、and/or/not、+ - * /、a if c else b 和内置函数",
                node.col_offset,
            )
        try:
            result: Typed = method(node)
        except ExprError as exc:
            if exc.col == 0:
                exc.col = node.col_offset
            raise
        return result

    def bool_operand(self, node: ast.expr) -> Typed:
        t = self.visit(node)
        if t.kind != "bool":
            raise ExprError(f"此处需要真假值，得到的是 {t.kind}", "写成比较，例如 x > 0", node.col_offset)
        return t

    def _v_Constant(self, node: ast.Constant) -> Typed:
        value: Any = node.value
        if isinstance(value, float):
            # The source text is the exact decimal the author wrote (0.8, not 0.8000000000000000444).
            value = Decimal(ast.get_source_segment(self.text, node) or repr(value))
        if value is None or not isinstance(value, bool | int | Decimal | str):
            raise ExprError(f"不支持的常量：{value!r}", "未知请用 is_known(x) 判断，不要写 None")
        return const(value)

    def _v_Name(self, node: ast.Name) -> Typed:
        name = node.id
        if name.startswith("_"):
            raise ExprError(f"名称不能以下划线开头：{name}", "使用政策中定义的字段或变量名")
        if name == "as_of":
            return const(self.scope.as_of)
        if name in self.scope.names:
            return self.scope.names[name]
        if name in self.scope.mappings:
            raise ExprError(f"参数 {name} 是按键取值的表", f"写成 {name}[键]，例如 {name}[level]")
        raise ExprError(f"未知的名称：{name}", "检查拼写；可用字段见 docs/policies.md 的输入表说明，或先在 let 中定义")

    def _v_BoolOp(self, node: ast.BoolOp) -> Typed:
        parts = [self.bool_operand(v) for v in node.values]
        expr = parts[0].expr
        for p in parts[1:]:
            expr = (expr & p.expr) if isinstance(node.op, ast.And) else (expr | p.expr)
        if all(p.is_const for p in parts):
            values = [p.const for p in parts]
            return const(all(values) if isinstance(node.op, ast.And) else any(values))
        fns = [p.fn for p in parts]
        stop = isinstance(node.op, ast.Or)  # the value that decides a Kleene or (True) / and (False)

        def kleene(row: Row) -> Any:
            unknown = False
            for f in fns:
                v = f(row)
                if v is None:
                    unknown = True
                elif v is stop:
                    return stop
            return None if unknown else not stop

        return combine(expr, "bool", *parts, fn=kleene)

    def _v_UnaryOp(self, node: ast.UnaryOp) -> Typed:
        if isinstance(node.op, ast.Not):
            t = self.bool_operand(node.operand)
            return const(not t.const) if t.is_const else combine(~t.expr, "bool", t, fn=lifted(lambda x: not x, t.fn))
        if isinstance(node.op, ast.USub):
            t = self.visit(node.operand)
            if t.kind not in NUMERIC:
                raise ExprError("负号只能用于数字", "检查运算对象")
            return const(-t.const) if t.is_const else combine(-t.expr, t.kind, t, fn=lifted(lambda x: -x, t.fn))
        raise ExprError("不支持的一元运算", "只能用 not 和负号")

    def _v_BinOp(self, node: ast.BinOp) -> Typed:
        a, b = self.visit(node.left), self.visit(node.right)
        if a.kind not in NUMERIC or b.kind not in NUMERIC:
            raise ExprError(f"算术运算只能用于数字或金额，得到 {a.kind} 和 {b.kind}", "检查运算对象")
        op = type(node.op)
        if op in (ast.Add, ast.Sub):
            a, b = unify(a, b)
            kind = "money" if "money" in (a.kind, b.kind) else ("num" if "num" in (a.kind, b.kind) else "int")
            expr = a.expr + b.expr if op is ast.Add else a.expr - b.expr
            py = (lambda x, y: x + y) if op is ast.Add else (lambda x, y: x - y)
            return combine(expr, kind, a, b, fn=as_kind(kind, lifted(py, a.fn, b.fn)))
        if op is ast.Mult:
            if a.kind == "money" and b.kind == "money":
                raise ExprError("金额不能乘以金额", "其中一个应是比例或数量")
            kind = "money" if "money" in (a.kind, b.kind) else ("num" if "num" in (a.kind, b.kind) else "int")
            expr, fn = _exact_mul(a, b)
            return combine(expr, kind, a, b, fn=as_kind(kind, fn))
        if op is ast.Div:
            if b.kind == "money" and a.kind != "money":
                raise ExprError("数字不能除以金额", "检查公式")
            kind = "num" if a.kind == b.kind == "money" else ("money" if a.kind == "money" else "num")
            # Dividing by zero is undefined, so unknown: never NaN/inf sneaking into a comparison.
            expr = pl.when(b.expr == 0).then(None).otherwise(a.expr / b.expr)
            return combine(expr, kind, a, b, fn=lifted(lambda x, y: None if y == 0 else x / y, a.fn, b.fn))
        raise ExprError("不支持的运算符", "只能用 + - * /")

    def _v_Compare(self, node: ast.Compare) -> Typed:
        left = self.visit(node.left)
        results: list[Typed] = []
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                results.append(self._membership(left, right_node, isinstance(op, ast.NotIn)))
                continue
            fn = _CMP.get(type(op))
            if fn is None:
                raise ExprError("不支持的比较（is / is not）", "未知请用 is_known(x) 判断")
            right = self.visit(right_node)
            check_vocabulary(left, right)
            check_vocabulary(right, left)
            a, b = unify(left, right)
            if a.is_const and b.is_const:
                results.append(const(bool(fn(a.const, b.const))))
            else:
                results.append(combine(fn(a.expr, b.expr), "bool", a, b, fn=lifted(fn, a.fn, b.fn)))
            left = right
        out = results[0]
        for r in results[1:]:
            out = combine(out.expr & r.expr, "bool", out, r, fn=_kleene2(k_and, out.fn, r.fn))
        return out

    def _membership(self, left: Typed, node: ast.expr, negate: bool) -> Typed:
        if not isinstance(node, ast.List | ast.Tuple):
            raise ExprError("in 的右边必须是列表，例如 x in ['a', 'b']", "把候选值写成方括号列表")
        items = [self.visit(e) for e in node.elts]
        if not items or not all(i.is_const for i in items):
            raise ExprError("in 列表只能包含常量", "把候选值写成常量列表")
        check_vocabulary(left, *items)
        if left.kind == "money":
            items = [to_fen(i) for i in items]
        values = [i.const if not isinstance(i.const, Decimal) else int(i.const) for i in items]
        if left.is_const:
            return const((left.const in values) != negate)
        # is_in returns false for null input; keep unknown unknown.
        hit = pl.when(left.expr.is_null()).then(None).otherwise(left.expr.is_in(values))
        members = frozenset(values)
        fn = lifted((lambda x: x not in members) if negate else (lambda x: x in members), left.fn)
        return combine(~hit if negate else hit, "bool", left, fn=fn)

    def _v_IfExp(self, node: ast.IfExp) -> Typed:
        cond = self.bool_operand(node.test)
        a, b = unify(self.visit(node.body), self.visit(node.orelse))
        if cond.is_const:
            return a if cond.const else b
        kind = a.kind if a.kind == b.kind else ("money" if "money" in (a.kind, b.kind) else "num")
        # A null condition gives null, not the else branch (Polars' when treats null as false).
        expr = pl.when(cond.expr).then(a.expr).when(~cond.expr).then(b.expr).otherwise(None)
        fc, fa, fb = cond.fn, a.fn, b.fn

        def choose(row: Row) -> Any:
            c = fc(row)
            return None if c is None else (fa(row) if c else fb(row))

        return combine(expr, kind, cond, a, b, fn=as_kind(kind, choose))

    def _v_Subscript(self, node: ast.Subscript) -> Typed:
        if not isinstance(node.value, ast.Name) or node.value.id not in self.scope.mappings:
            raise ExprError("只有按键取值的参数可以用方括号", "例如 warmth_amount[level]")
        table = self.scope.mappings[node.value.id]
        key = self.visit(node.slice)
        if key.kind != "str":
            raise ExprError("参数的键必须是字符串", "例如 warmth_amount['deep']")
        check_vocabulary(key, *(const(k) for k in table))
        if key.is_const:
            if key.const not in table:
                raise ExprError(f"参数 {node.value.id} 没有键 {key.const}", f"可用的键：{'、'.join(table)}")
            return table[key.const]
        chain: Any = pl
        for k, v in table.items():
            chain = chain.when(key.expr == k).then(v.expr)
        values = list(table.values())
        by_key, fk = {k: v.fn for k, v in table.items()}, key.fn

        def lookup(row: Row) -> Any:
            f = by_key.get(fk(row))
            return None if f is None else f(row)

        return combine(chain.otherwise(None), values[0].kind, key, *values, fn=lookup)

    def _v_Call(self, node: ast.Call) -> Typed:
        if not isinstance(node.func, ast.Name):
            raise ExprError("只能调用内置函数", "例如 age(birth_date)")
        impl = FUNCTIONS.get(node.func.id)
        if impl is None:
            raise ExprError(f"未知的函数：{node.func.id}", f"可用函数：{'、'.join(sorted(FUNCTIONS))}")
        return impl(self, node)


def _kleene2(op: Callable[[Any, Any], Any], fa: Fn, fb: Fn) -> Fn:
    def both(row: Row) -> Any:
        return op(fa(row), fb(row))

    return both


def _ratio(num: int, den: int) -> Callable[[Any], Any]:
    return lambda v: v * num / den


def _exact_mul(a: Typed, b: Typed) -> tuple[pl.Expr, Fn]:
    """Multiply, turning a decimal constant into integer ratio so fen stay exact.

    ``x * 0.8`` becomes ``x * 4 / 5``: the float division is correctly rounded, so a result that
    is exactly half a fen is represented exactly and later rounds half-up the right way.
    """
    for x, y in ((a, b), (b, a)):
        if y.is_const and isinstance(y.const, Decimal) and x.kind in ("int", "money"):
            num, den = y.const.as_integer_ratio()
            return (x.expr * num) / den, lifted(_ratio(num, den), x.fn)
    return a.expr * b.expr, lifted(lambda v, w: v * w, a.fn, b.fn)
