"""Compile a policy, for one as-of date, into Polars expressions ready to evaluate.

Everything that depends only on the policy and the date happens here once: names are bound,
formulas type-checked, parameters mapped to columns, templates compiled, rules sorted so that
cheap rules (no related-table aggregation) gate the expensive ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from niangjia.rules.language.explanations import compile_template
from niangjia.rules.language.expression import Compiler, Scope
from niangjia.rules.language.typed import ExprError, Typed, column, lifted, to_fen
from niangjia.rules.policy.arithmetic import CompiledLine, compile_arithmetic
from niangjia.rules.policy.errors import PolicyError, PolicyIssue
from niangjia.rules.policy.model import Policy, Rule
from niangjia.rules.policy.parameters import column_name
from niangjia.rules.tables.schema import DERIVED, TABLES

RESERVED = {"as_of", "level", "level_label", "amount", "cap", "paid", "remaining"}


@dataclass
class CompiledRule:
    """A rule with its ``ok`` expression (True = the rule is satisfied) and sentences."""

    rule: Rule
    ok: Typed
    pass_text: Typed | None
    fail_text: Typed | None
    unknown_text: Typed | None

    @property
    def heavy(self) -> bool:
        texts = (self.fail_text, self.unknown_text)
        return self.ok.heavy or any(t is not None and t.heavy for t in texts)


@dataclass
class Plan:
    """Everything needed to evaluate one policy on one date."""

    policy: Policy
    as_of: dt.date
    scope: Scope
    lets: list[tuple[str, Typed]] = field(default_factory=list)
    member_lets: list[tuple[str, Typed]] = field(default_factory=list)
    rules: list[CompiledRule] = field(default_factory=list)
    levels: list[tuple[str, str, Typed]] = field(default_factory=list)
    level_texts: list[tuple[str, Typed]] = field(default_factory=list)
    amount_value: Typed | None = None
    amount_cap: Typed | None = None
    amount_paid: Typed | None = None
    amount_text: Typed | None = None
    zero_text: Typed | None = None
    no_level_text: Typed | None = None
    documents: list[tuple[str, Typed, Typed]] = field(default_factory=list)
    # A person policy's ``applies_to``: an entity for which it is false gets no row at all.
    applies: Typed | None = None
    # ``member_missing``: (fact, alias of the aggregation listing the members it names).
    member_missing: list[tuple[str, str]] = field(default_factory=list)
    # scope.aggs[:decision_aggs] decide statuses; the rest serve only the documents list, which a
    # not-eligible row never has, so the engine joins them for eligible / possibly rows only.
    decision_aggs: int = 0
    fields: set[str] = field(default_factory=set)
    # The ``arithmetic:`` section (scalar backend only: a trace of one household); its fields are
    # checked against ``reads`` but never read by the bulk path.
    arithmetic_members: list[CompiledLine] = field(default_factory=list)
    arithmetic: list[CompiledLine] = field(default_factory=list)
    arithmetic_fields: set[str] = field(default_factory=set)
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)  # built Polars expressions (engine)

    @property
    def key(self) -> str:
        return "household_id" if self.policy.entity == "household" else "person_id"


def _columns(table: str, names: dict[str, Typed]) -> None:
    for col, spec in {**TABLES[table], **DERIVED.get(table, {})}.items():
        names.setdefault(col, column(col, spec.kind, fields=frozenset({f"{table}.{col}"}), vocabulary=spec.values))


def _param_names(policy: Policy) -> tuple[dict[str, Typed], dict[str, dict[str, Typed]]]:
    scalars: dict[str, Typed] = {}
    mappings: dict[str, dict[str, Typed]] = {}
    for p in policy.parameters.values():
        kind = "money" if p.unit == "yuan" else "num"
        if p.keys:
            mappings[p.name] = {k: column(column_name(p.name, k), kind) for k in p.keys}
        else:
            scalars[p.name] = column(column_name(p.name), kind)
    return scalars, mappings


def build_scope(policy: Policy, as_of: dt.date) -> Scope:
    """Names visible to the policy's formulas, and the related tables it may aggregate."""
    scalars, mappings = _param_names(policy)
    household: dict[str, Typed] = dict(scalars)
    _columns("households", household)
    member_names = dict(household)
    _columns("persons", member_names)
    relations = {"members": Scope(as_of, member_names, mappings, relation_name="members")}
    for table in ("events", "payments", "documents"):
        names: dict[str, Typed] = {}
        _columns(table, names)
        relations[table] = Scope(as_of, names, {}, relation_name=table)
    names = member_names if policy.entity == "person" else household
    return Scope(as_of, dict(names), mappings, relations)


class _Builder:
    """Compiles the parts of a policy, turning expression errors into located issues."""

    def __init__(self, policy: Policy, as_of: dt.date) -> None:
        self.policy, self.issues = policy, []  # type: ignore[var-annotated]
        self.plan = Plan(policy, as_of, build_scope(policy, as_of))

    def compile(self, source: str, line: int, scope: Scope | None = None, what: str = "公式") -> Typed | None:
        try:
            t = Compiler(scope or self.plan.scope).compile(source)
        except ExprError as exc:
            self.issues.append(
                PolicyIssue(
                    self.policy.path, line, f"{what}「{source}」第 {exc.col + 1} 个字符处：{exc.message}", exc.fix
                )
            )
            return None
        self.plan.fields |= t.fields
        return t

    def text(self, template: str, line: int) -> Typed | None:
        try:
            t = compile_template(template, self.plan.scope)
        except ExprError as exc:
            self.issues.append(PolicyIssue(self.policy.path, line, f"说明文字「{template}」：{exc.message}", exc.fix))
            return None
        if t is not None:
            self.plan.fields |= t.fields
        return t

    def bind(self, scope: Scope, name: str, t: Typed, line: int) -> None:
        if name in scope.names or name in RESERVED or name in scope.mappings or name.startswith("_"):
            self.issues.append(
                PolicyIssue(self.policy.path, line, f"变量名 {name} 与字段、参数或保留字重名", "换一个名字")
            )
        scope.names[name] = column(name, t.kind, t.heavy, t.fields, t.vocabulary)


def compile_policy(policy: Policy, as_of: dt.date) -> Plan:
    """Compile ``policy`` for ``as_of``; raise :class:`PolicyError` listing every bad formula."""
    b = _Builder(policy, as_of)
    plan, scope = b.plan, b.plan.scope
    members = scope.relations["members"]
    if policy.applies_to:
        plan.applies = _applies(b, policy.applies_to, policy.applies_to_line)
    for name, (src, line) in policy.member_let.items():
        t = b.compile(src, line, members, "成员变量")
        if t is not None:
            if t.heavy:
                b.issues.append(
                    PolicyIssue(policy.path, line, f"成员变量 {name} 不能再做关联表汇总", "把汇总写在 let 中")
                )
            plan.member_lets.append((name, t))
            b.bind(members, name, t, line)
    if policy.entity == "person":
        for name, _ in plan.member_lets:
            scope.names[name] = members.names[name]
    for name, (src, line) in policy.let.items():
        t = b.compile(src, line, what=f"变量 {name}")
        if t is not None:
            plan.lets.append((name, t))
            b.bind(scope, name, t, line)
    for rule in (*policy.exclusions, *policy.conditions):
        t = b.compile(rule.when, rule.line, what=f"条件 {rule.id}")
        if t is None:
            continue
        if t.kind != "bool":
            b.issues.append(
                PolicyIssue(policy.path, rule.line, f"条件 {rule.id} 的结果不是真假值", "写成比较或逻辑表达式")
            )
            continue
        excluded = rule in policy.exclusions and rule not in policy.conditions
        ok = Typed(~t.expr, "bool", t.heavy, t.fields, fn=lifted(lambda x: not x, t.fn)) if excluded else t
        plan.rules.append(
            CompiledRule(
                rule,
                ok,
                b.text(rule.pass_text, rule.line),
                b.text(rule.fail_text, rule.line),
                b.text(rule.unknown_text, rule.line),
            )
        )
    # Cheap, selective rules first: they gate who reaches the aggregations (stable otherwise).
    plan.rules.sort(key=lambda r: r.heavy)
    _compile_tail(b)
    compile_arithmetic(b)
    plan.fields -= {f for f in plan.fields if f.startswith("events.settled")}
    _check_reads(b)
    if b.issues:
        raise PolicyError(b.issues)
    return plan


def _compile_tail(b: _Builder) -> None:
    """Levels, amount, documents — all evaluated after the gate."""
    plan, policy, scope = b.plan, b.policy, b.plan.scope
    for level in policy.levels:
        t = b.compile(level.when, level.line, what=f"级别 {level.id}")
        if t is not None:
            plan.levels.append((level.id, level.label, t))
    scope.names["level"] = column("level", "str", heavy=True)
    scope.names["level_label"] = column("level_label", "str", heavy=True)
    plan.no_level_text = b.text(policy.no_level_text, 0)
    for level in policy.levels:
        text = b.text(level.text, level.line)
        if text is not None:
            plan.level_texts.append((level.id, text))
    if policy.amount is not None:
        a = policy.amount
        plan.amount_value = _money(b, a.value, a.line, "金额")
        plan.amount_cap = _money(b, a.cap, a.line, "上限") if a.cap else None
        plan.amount_paid = _money(b, a.paid, a.line, "已发金额") if a.paid else None
        for name in ("amount", "cap", "paid", "remaining"):
            scope.names[name] = column(name, "money", heavy=True)
        plan.amount_text = b.text(a.text, a.line)
        plan.zero_text = b.text(a.zero_text, a.line)
    plan.decision_aggs = len(scope.aggs)
    for doc in policy.documents:
        needed = b.compile(doc.when, doc.line, what=f"材料 {doc.kind} 的条件")
        on_file = Compiler(scope).compile(f"any(documents, kind == {doc.kind!r})")
        if needed is not None:
            plan.documents.append((doc.kind, needed, on_file))
    _member_missing(b)


def _applies(b: _Builder, source: str, line: int) -> Typed | None:
    """``applies_to``: a cheap yes/no on the person's own and household's fields."""
    t = b.compile(source, line, what="适用对象 applies_to")
    if t is not None and (t.kind != "bool" or t.heavy):
        fix = "写成不含汇总的比较，例如 relation == 'child'"
        b.issues.append(PolicyIssue(b.policy.path, line, "applies_to 必须是不含关联表汇总的真假值", fix))
        return None
    return t


def _member_missing(b: _Builder) -> None:
    """``member_missing``: per fact, an aggregation listing the members for whom ``when`` holds
    (registered after the decision's: joined for the eligible / possibly rows only)."""
    scope = b.plan.scope
    members = scope.relations["members"]
    for item in b.policy.member_missing:
        t = b.compile(item.when, item.line, members, f"缺少信息「{item.fact}」的条件")
        if t is None:
            continue
        if t.kind != "bool" or t.heavy:
            fix = "写成成员的字段或成员变量的比较，例如 not is_known(monthly_income)"
            b.issues.append(PolicyIssue(b.policy.path, item.line, "member_missing 的 when 必须是成员的真假值", fix))
            continue
        fn = t.fn

        # Sorted by person id (text): the same list whatever order the members are listed in.
        def named(rows: list[dict[str, Any]], fn: Any = fn) -> list[str]:
            return sorted(r["person_id"] for r in rows if fn(r) is True)

        agg = pl.col("person_id").filter(t.expr.fill_null(False)).sort()
        alias = scope.add_agg("members", agg, [], pl.List(pl.String), fn=named)
        b.plan.member_missing.append((item.fact, alias))


def _money(b: _Builder, source: str | None, line: int, what: str) -> Typed | None:
    t = b.compile(source or "0", line, what=what)
    if t is None:
        return None
    try:
        return to_fen(t)
    except ExprError as exc:
        b.issues.append(PolicyIssue(b.policy.path, line, f"{what}「{source}」：{exc.message}", exc.fix))
        return None


def _check_reads(b: _Builder) -> None:
    """Every personal field read must be declared, sensitive ones as sensitive."""
    declared = b.policy.reads
    line = b.policy.lines.get(("reads",))
    for f in sorted(b.plan.fields | b.plan.arithmetic_fields):
        table, col = f.split(".")
        spec = TABLES[table].get(col)
        if spec is None:
            continue
        if f not in declared:
            level = "sensitive" if spec.sensitive else "normal"
            b.issues.append(
                PolicyIssue(
                    b.policy.path,
                    line,
                    f"读取了字段 {f}（{spec.label}）但未在 reads 中声明",
                    f"在 reads 中加入 {f}: {level}",
                )
            )
        elif spec.sensitive and declared[f] != "sensitive":
            b.issues.append(
                PolicyIssue(
                    b.policy.path,
                    b.policy.lines.get(("reads", f), line),
                    f"{f}（{spec.label}）是敏感字段",
                    f"把 {f} 的级别改为 sensitive",
                )
            )
