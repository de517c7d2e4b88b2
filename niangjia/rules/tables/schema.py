"""Input tables the engine screens: their columns, kinds, labels and normalisation.

The Django ``registry`` exports exactly these tables, and ``screen --input`` reads them from
sheets or CSV files of the same names. A null value means *unknown*; a missing row in
``events``/``payments``/``documents`` means *did not happen / not on file* (closed world).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

Kind = Literal["str", "int", "bool", "date", "money"]


@dataclass(frozen=True)
class Column:
    """One input column: its kind, Chinese label, whether it is a sensitive personal field, and,
    for a column with a vocabulary, the Chinese label of each value (``VOCABULARIES``)."""

    kind: Kind
    label: str
    sensitive: bool = False
    values: Mapping[str, str] | None = field(default=None, compare=False)


# The codes a column holds and how a sentence names them: a template's ``{school_stage}`` prints
# 本科, never ``undergraduate``; a policy that compares such a column with a code not listed here
# is refused. Keys are the values as text (``severity`` 1 is "1"). The Django registry's codes
# are mapped to these by ``niangjia.screening.extract``.
VOCABULARIES: dict[str, dict[str, str]] = {
    "households.archive_level": {"deep": "深度困难", "relative": "相对困难", "sudden": "意外致困", "none": "未建档"},
    "persons.relation": {
        "head": "户主",
        "spouse": "配偶",
        "child": "子女",
        "parent": "父母",
        "grandchild": "孙子女",
        "sibling": "兄弟姐妹",
        "other": "其他亲属",
    },
    "persons.sex": {"M": "男", "F": "女"},
    "persons.school_stage": {
        "preschool": "学前",
        "primary": "小学",
        "junior": "初中",
        "senior_high": "普通高中",
        "secondary_vocational": "中职",
        "vocational_college": "专科/高职",
        "undergraduate": "本科",
        "postgraduate": "研究生",
        "none": "未入学",
    },
    "persons.admission_kind": {
        "regular": "普通录取",
        "military": "军事院校",
        "free_normal": "公费师范生",
        "commissioned": "定向生",
    },
    "persons.gig_form": {
        "rider": "外卖骑手",
        "courier": "快递员",
        "ride_hailing": "网约车司机",
        "truck_driver": "货车司机",
        "other_platform": "其他平台劳动者",
        "none": "非新就业形态",
    },
    "events.kind": {
        "death_on_duty": "因公牺牲",
        "major_surgery": "重大手术",
        "inpatient_stay": "住院",
        "sudden_event": "突发事件",
        "medical_bill": "医疗费用",
        "skill_certificate": "取得职业技能证书",
    },
    "events.severity": {"1": "一般", "2": "严重", "3": "特别严重"},
    "events.cause": {"accident": "意外事故", "disaster": "自然灾害", "major_illness": "确诊重大疾病"},
}


def _cols(table: str, **spec: tuple[Kind, str] | tuple[Kind, str, bool]) -> dict[str, Column]:
    out = {}
    for name, (kind, label, *sensitive) in spec.items():
        out[name] = Column(kind, label, bool(sensitive and sensitive[0]), VOCABULARIES.get(f"{table}.{name}"))
    return out


TABLES: dict[str, dict[str, Column]] = {
    "households": _cols(
        "households",
        household_id=("str", "家庭编号"),
        region_code=("str", "行政区划代码"),
        homes_owned=("int", "家庭住房套数", True),
        owns_shop_or_employs=("bool", "是否拥有商铺或雇工经营", True),
        private_car_non_work=("bool", "是否非受雇使用私家车", True),
        child_private_or_abroad=("bool", "子女是否就读高收费私立学校或自费留学", True),
        other_annual_income=("money", "家庭其他非薪资年收入", True),
        rigid_medical_12m=("money", "近12个月医疗刚性支出", True),
        rigid_education_12m=("money", "近12个月教育刚性支出", True),
        rigid_other_12m=("money", "近12个月其他刚性支出", True),
        hardship_costs_12m=("money", "近12个月致困损失（扣除赔偿后）", True),
        archive_level=("str", "建档级别"),
        last_review_date=("date", "上次复核日期"),
    ),
    "persons": _cols(
        "persons",
        person_id=("str", "人员编号"),
        household_id=("str", "家庭编号"),
        relation=("str", "与户主关系"),
        birth_date=("date", "出生日期"),
        sex=("str", "性别"),
        able_to_work=("bool", "是否有劳动能力", True),
        is_student=("bool", "是否在校学生"),
        employed=("bool", "是否就业"),
        monthly_income=("money", "月收入", True),
        is_migrant=("bool", "是否农民工"),
        union_member=("bool", "是否工会会员"),
        labour_relation_start=("date", "劳动关系起始日期"),
        lives_in_city=("bool", "是否在城市长期居住"),
        work_injury_disabled=("bool", "是否因工伤致残", True),
        major_illness=("bool", "是否患重大疾病", True),
        school_stage=("str", "录取学段"),
        admission_year=("int", "入学年份"),
        admission_kind=("str", "录取类别"),
        gig_form=("str", "新就业形态类别"),
        mutual_aid_year=("int", "参加住院互助年度"),
    ),
    "events": _cols(
        "events",
        event_id=("str", "事件编号"),
        person_id=("str", "人员编号"),
        household_id=("str", "家庭编号"),
        kind=("str", "事件类型"),
        date=("date", "事件日期"),
        severity=("int", "严重程度", True),
        cause=("str", "事件原因", True),
        days=("int", "住院天数", True),
        amount=("money", "金额", True),
    ),
    "payments": _cols(
        "payments",
        payment_id=("str", "发放编号"),
        person_id=("str", "受益人编号"),
        household_id=("str", "家庭编号"),
        policy_id=("str", "政策编号"),
        paid_on=("date", "发放日期"),
        amount=("money", "发放金额"),
        period=("int", "所属季度/年度"),
        event_id=("str", "对应事件编号"),
    ),
    "documents": _cols(
        "documents",
        person_id=("str", "人员编号"),
        household_id=("str", "家庭编号"),
        kind=("str", "材料名称"),
        received_on=("date", "收到日期"),
    ),
}

# Columns the engine derives while normalising; policies may read them like input columns.
DERIVED: dict[str, dict[str, Column]] = {
    "events": {"settled": Column("bool", "该事件是否已有对应发放")},
}

_DTYPES: dict[Kind, pl.DataType] = {
    "str": pl.String(),
    "int": pl.Int64(),
    "bool": pl.Boolean(),
    "date": pl.Date(),
    "money": pl.Int64(),  # integer fen: exact, and fast in Polars
}

TRUE_WORDS = ("true", "1", "是", "yes", "y", "t")
FALSE_WORDS = ("false", "0", "否", "no", "n", "f")


def require_known_tables(names: Iterable[str]) -> None:
    """Raise ``ValueError`` naming any table that is not one of :data:`TABLES`."""
    unknown = set(names) - set(TABLES)
    if unknown:
        raise ValueError(f"未知的输入表：{sorted(unknown)}；只接受 {sorted(TABLES)}")


# Text typed by people: full-width digits and signs (１２３４．５), thousands separators in money
# (1,234.50 or 1，234.50元), dates as 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日 or 20250301.
FULL_WIDTH = "０１２３４５６７８９．－＋／，"
HALF_WIDTH = "0123456789.-+/,"
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Trimmed text with full-width digits and signs made ASCII; empty text is null (unknown)."""
    return expr.str.strip_chars().str.replace_many(list(FULL_WIDTH), list(HALF_WIDTH)).replace("", None)


def clean_money_text(expr: pl.Expr) -> pl.Expr:
    """``clean_text`` without thousands separators and a trailing 元."""
    return clean_text(expr).str.replace_all(",", "", literal=True).str.strip_suffix("元").str.strip_chars()


def convert_column(name: str, col: Column, dtype: pl.DataType) -> pl.Expr:
    """Cast one input column to its kind; money becomes integer fen without float rounding.

    Text that cannot be read as the column's kind becomes null (unknown) here;
    :func:`niangjia.rules.tables.checks.check_tables` reports it with its row before a file is screened.
    """
    expr = pl.col(name)
    if col.kind == "money":
        # Decimal(18,2) parses "12.34" and 12.34 exactly to cents; ints are already yuan.
        if dtype == pl.String:
            expr = clean_money_text(expr).replace("", None).cast(pl.Decimal(18, 2), strict=False)
        return (expr.cast(pl.Decimal(18, 2)) * 100).cast(pl.Int64).alias(name)
    if dtype == pl.String and col.kind == "bool":
        low = clean_text(expr).str.to_lowercase()
        return (
            pl.when(low.is_in(TRUE_WORDS))
            .then(True)
            .when(low.is_in(FALSE_WORDS))
            .then(False)
            .otherwise(None)
            .alias(name)
        )
    if dtype == pl.String and col.kind == "date":
        text = clean_text(expr)
        dates = [text.str.to_date(f, strict=False) for f in DATE_FORMATS]
        stamp = text.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False).dt.date()
        return pl.coalesce(*dates, stamp).alias(name)
    if dtype == pl.String and col.kind == "int":
        return clean_text(expr).cast(pl.Int64, strict=False).alias(name)
    if col.kind == "date" and dtype == pl.Datetime:
        return expr.dt.date().alias(name)
    if col.kind == "str":
        if dtype.is_float():  # Excel stores 610102 as 610102.0
            expr = expr.cast(pl.Int64)
        return expr.cast(pl.String).replace("", None).alias(name)
    return expr.cast(_DTYPES[col.kind]).alias(name)


def normalize_table(name: str, frame: pl.DataFrame | pl.LazyFrame | None) -> pl.LazyFrame:
    """Return ``frame`` with exactly the schema's columns, typed; absent columns are null."""
    spec = TABLES[name]
    if frame is None:
        return pl.LazyFrame(schema={c: _DTYPES[s.kind] for c, s in spec.items()})
    lf = frame.lazy()
    have = lf.collect_schema()
    exprs = [
        convert_column(c, s, have[c]) if c in have else pl.lit(None, _DTYPES[s.kind]).alias(c) for c, s in spec.items()
    ]
    lf = lf.select(exprs)
    if name == "households":
        # The union keeps the archive itself, so "no level recorded" is known: not archived.
        lf = lf.with_columns(pl.col("archive_level").fill_null("none"))
    return lf


def normalize_tables(
    tables: Mapping[str, pl.DataFrame | pl.LazyFrame | None],
) -> dict[str, pl.LazyFrame]:
    """Normalise all five tables and derive linking columns the policies rely on.

    Events, payments and documents recorded against a person get that person's household
    filled in, so household policies see them; events get ``settled`` (a payment references it).
    """
    require_known_tables(tables)
    out = {name: normalize_table(name, tables.get(name)) for name in TABLES}
    link = out["persons"].select("person_id", pl.col("household_id").alias("__hh"))
    for name in ("events", "payments", "documents"):
        out[name] = (
            out[name]
            .join(link, on="person_id", how="left", nulls_equal=False)
            .with_columns(pl.coalesce("household_id", "__hh").alias("household_id"))
            .drop("__hh")
        )
    settled_ids = out["payments"].select("event_id").drop_nulls().unique()
    out["events"] = (
        out["events"]
        .join(settled_ids.with_columns(pl.lit(True).alias("settled")), on="event_id", how="left")
        .with_columns(pl.col("settled").fill_null(False))
    )
    return out


def tables_from_rows(rows: Mapping[str, list[dict[str, object]]]) -> dict[str, pl.DataFrame]:
    """Build input frames from plain Python rows (YAML test cases, the Django registry)."""
    frames: dict[str, pl.DataFrame] = {}
    for name, records in rows.items():
        if name not in TABLES:
            raise ValueError(f"未知的输入表：{name}")
        spec = TABLES[name]
        present = [c for c in spec if any(c in r for r in records)]
        data: dict[str, list[object]] = {c: [] for c in present}
        for record in records:
            extra = set(record) - set(spec)
            if extra:
                raise ValueError(f"表 {name} 没有列 {sorted(extra)}")
            for c in present:
                value = record.get(c)
                if spec[c].kind == "money" and value is not None:
                    value = str(value)  # via Decimal later: 0.1 stays 0.10, never 0.1000000001
                if spec[c].kind in ("str",) and value is not None:
                    value = str(value)
                data[c].append(value)
        schema = {c: (pl.String if spec[c].kind == "money" else _DTYPES[spec[c].kind]) for c in present}
        frames[name] = pl.DataFrame(data, schema=schema)
    return frames
