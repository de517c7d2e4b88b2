"""Check input tables before a file is screened: each problem with its table, row, column and fix.

The engine itself reads text it cannot type as unknown (see :func:`niangjia.rules.tables.schema.convert_column`),
which is right for a registry extract but would hide a typing mistake in a roster somebody filled
in by hand: a misspelt column would make every household "possibly", a date written 2024-13-01
would quietly become unknown. ``screen --input`` therefore checks the tables first and screens
nothing while any problem is left:

- columns the schema does not know (with the nearest known name as the fix);
- text that cannot be read as its column's kind — the very conversion the engine uses decides;
- missing and repeated keys, people in a household the households table does not list, and
  events, payments and documents naming a person or household that is not in the tables.

Rows are numbered as the user sees them: the sheet row of a workbook, the line of a CSV file
(both carry ``__row`` from :mod:`niangjia.rules.tables.io`), or the record's position in a parquet file.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from niangjia.rules.tables.schema import TABLES, Column, clean_text, convert_column

ROW = "__row"  # the row number the reader attached (sheet row, CSV line)
_REPEAT_FIX = "每个编号只出现一次：合并或改正重复的行"
_KIND: dict[str, tuple[str, str]] = {
    "int": ("整数", "写成 3 这样的整数"),
    "money": ("金额", "写成 1234.50 这样的数字（单位元）"),
    "date": ("日期", "写成 2025-03-01 或 2025年3月1日；Excel 中请把单元格设为日期格式"),
    "bool": ("是/否", "写“是”或“否”"),
}


@dataclass(frozen=True)
class InputIssue:
    """One problem in an input table."""

    table: str
    row: int | None  # None: the whole table or column
    column: str | None
    value: str | None
    message: str
    fix: str
    positional: bool = False  # the row is the record's position (no sheet or line number)

    def __str__(self) -> str:
        where = f"表 {self.table}"
        if self.row is not None:
            where += f" 第 {self.row} {'条记录' if self.positional else '行'}"
        if self.column is not None:
            label = TABLES[self.table].get(self.column)
            where += f"，列 {self.column}" + (f"（{label.label}）" if label else "")
        value = f"“{self.value}”" if self.value is not None else ""
        return f"{where}：{value}{self.message}。修改方法：{self.fix}"


class InputError(ValueError):
    """The input tables have problems; nothing was screened. Carries every issue found."""

    SHOWN = 50

    def __init__(self, issues: list[InputIssue]) -> None:
        lines = [str(i) for i in issues[: self.SHOWN]]
        if len(issues) > self.SHOWN:
            lines.append(f"……另有 {len(issues) - self.SHOWN} 处问题未列出")
        super().__init__(f"输入表有 {len(issues)} 处问题，未筛查：\n" + "\n".join(lines))
        self.issues = issues


def _numbered(lf: pl.LazyFrame, names: list[str]) -> tuple[pl.LazyFrame, bool]:
    if ROW in names:
        return lf, False
    return lf.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias(ROW)), True


def _unknown_columns(name: str, names: list[str]) -> list[InputIssue]:
    spec = TABLES[name]
    out = []
    for c in names:
        if c == ROW or c in spec:
            continue
        guess = difflib.get_close_matches(c, list(spec), n=1, cutoff=0.6)
        fix = (
            f"改为 {guess[0]}（{spec[guess[0]].label}）"
            if guess
            else f"删除该列，或改为以下列名之一：{'、'.join(spec)}（见 docs/policies.md）"
        )
        out.append(InputIssue(name, None, c, None, "不是这张表的列", fix))
    return out


def _bad_cells(name: str, lf: pl.LazyFrame, schema: pl.Schema, positional: bool, limit: int) -> list[InputIssue]:
    """Non-empty text that the engine's conversion cannot read as the column's kind."""
    spec = TABLES[name]
    checked: list[tuple[str, Column]] = [
        (c, s) for c, s in spec.items() if c in schema and schema[c] == pl.String and s.kind != "str"
    ]
    if not checked:
        return []
    bad = [clean_text(pl.col(c)).is_not_null() & convert_column(c, s, pl.String()).is_null() for c, s in checked]
    found = (
        lf.select(ROW, *[pl.when(b).then(pl.col(c)).alias(c) for b, (c, _) in zip(bad, checked, strict=True)])
        .filter(pl.any_horizontal([pl.col(c).is_not_null() for c, _ in checked]))
        .head(limit)
        .collect()
    )
    out = []
    for r in found.iter_rows(named=True):
        for c, s in checked:
            if r[c] is not None:
                what, fix = _KIND[s.kind]
                out.append(InputIssue(name, r[ROW], c, r[c], f"不是有效的{what}", fix + "，或留空表示未知", positional))
    return out


@dataclass(frozen=True)
class _Table:
    """An input table with its row numbers (``__row``)."""

    name: str
    lf: pl.LazyFrame
    positional: bool

    def has(self, column: str) -> bool:
        return column in self.lf.collect_schema()

    def text(self, column: str) -> pl.Expr:
        return pl.col(column).cast(pl.String) if self.has(column) else pl.lit(None, pl.String)

    def rows(
        self, cond: pl.Expr, column: str, message: str, fix: str, limit: int, lf: pl.LazyFrame | None = None
    ) -> list[InputIssue]:
        """An issue for each row (at most ``limit``) where ``cond`` holds."""
        found = (self.lf if lf is None else lf).filter(cond).select(ROW, self.text(column)).head(limit).collect()
        return [InputIssue(self.name, r[0], column, r[1], message, fix, self.positional) for r in found.iter_rows()]

    def dangling(self, column: str, known: pl.LazyFrame | None, table: str, what: str, limit: int) -> list[InputIssue]:
        """Rows whose ``column`` names a {what} that ``table`` (``known``: its ids) does not list."""
        if known is None or not self.has(column):
            return []
        unknown = self.lf.with_columns(self.text(column)).join(known, on=column, how="anti")
        fix = f"改正{what}编号，或先在 {table} 表登记"
        return self.rows(pl.col(column).is_not_null(), column, f"不在 {table} 表中", fix, limit, unknown)


def check_tables(
    tables: Mapping[str, pl.DataFrame | pl.LazyFrame | None], *, keys: bool | None = None, limit: int = 200
) -> list[InputIssue]:
    """Every problem found in ``tables`` (at most ``limit`` per kind of check and table).

    ``keys``: also check empty, repeated and dangling person and household ids. By default
    (None) for tables read from text — workbooks and CSV files, which carry ``__row`` — the rosters
    people fill in; a typed parquet extract written by a system gets the column check and the
    uniqueness of household ids only (a repeated household would repeat its members), which keeps
    a 1M-people extract's check to milliseconds.
    """
    if keys is None:
        keys = any(f is not None and ROW in f.lazy().collect_schema() for f in tables.values())
    issues: list[InputIssue] = []
    frames: dict[str, _Table] = {}
    for name, frame in tables.items():
        if name not in TABLES:
            issues.append(InputIssue(name, None, None, None, "不是可用的表", f"表名应为 {'、'.join(TABLES)} 之一"))
            continue
        if frame is None:
            continue
        lf = frame.lazy()
        schema = lf.collect_schema()
        issues += _unknown_columns(name, schema.names())
        lf, positional = _numbered(lf, schema.names())
        frames[name] = _Table(name, lf, positional)
        issues += _bad_cells(name, lf, schema, positional, limit)
    households = frames.get("households")
    if households is not None and households.lf.select(pl.len()).collect().item() == 0:
        issues.append(InputIssue("households", None, None, None, "没有数据行", "在 households 表中至少填写一户"))
    issues += _key_issues(frames, limit) if keys else _household_repeats(frames, limit)
    order = {name: i for i, name in enumerate(TABLES)}
    return sorted(issues, key=lambda i: (order.get(i.table, 99), i.row or 0, i.column or ""))


def _household_repeats(tables: dict[str, _Table], limit: int) -> list[InputIssue]:
    t = tables.get("households")
    if t is None or not t.has("household_id"):
        return []
    if t.lf.select(pl.col("household_id").n_unique() == pl.len()).collect().item():
        return []
    return t.rows(pl.col("household_id").is_duplicated(), "household_id", "编号重复", _REPEAT_FIX, limit)


def _ids(t: _Table | None, column: str) -> pl.LazyFrame | None:
    if t is None or not t.has(column):
        return None
    return t.lf.select(t.text(column)).drop_nulls().unique()


def _key_issues(tables: dict[str, _Table], limit: int) -> list[InputIssue]:
    out: list[InputIssue] = []
    households = _ids(tables.get("households"), "household_id")
    persons = _ids(tables.get("persons"), "person_id")
    for name, key in (("households", "household_id"), ("persons", "person_id")):
        t = tables.get(name)
        if t is None:
            continue
        if not t.has(key):
            out.append(InputIssue(name, None, key, None, "缺少这一列", f"加上 {key} 列，每行填写唯一的编号"))
            continue
        out += t.rows(clean_text(t.text(key)).is_null(), key, "编号为空", "填写编号，或删除这一行", limit)
        out += t.rows(t.text(key).is_duplicated(), key, "编号重复", _REPEAT_FIX, limit)
    people = tables.get("persons")
    if people is not None and people.has("household_id") and households is not None:
        out += people.rows(
            pl.col("household_id").is_null(), "household_id", "没有填写家庭编号", "填写此人所在家庭的编号", limit
        )
        out += people.dangling("household_id", households, "households", "家庭", limit)
    for name in ("events", "payments", "documents"):
        t = tables.get(name)
        if t is None:
            continue
        nobody = t.text("person_id").is_null() & t.text("household_id").is_null()
        out += t.rows(nobody, "person_id", "既没有人员编号也没有家庭编号", "填写 person_id 或 household_id", limit)
        out += t.dangling("person_id", persons, "persons", "人员", limit)
        out += t.dangling("household_id", households, "households", "家庭", limit)
    return out
