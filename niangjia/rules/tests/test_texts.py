"""What the engine writes reads as Chinese: codes as labels, money with separators, people named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from niangjia.rules import load_pack, screen
from niangjia.rules.language.explanations import money_text, money_text_py
from niangjia.rules.tables.schema import TABLES, VOCABULARIES
from niangjia.rules.tests.conftest import POLICY_DIR
from niangjia.rules.tests.test_loader import GOOD, _issues, _write

AS_OF = dt.date(2025, 8, 1)


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00"), (99, "0.99"), (100_000, "1,000.00"), (1_532_000, "15,320.00"), (-123_456_789, "-1,234,567.89")],
)
def test_money_has_thousands_separators(fen: int, text: str) -> None:
    assert money_text_py(fen) == text
    assert pl.select(money_text(pl.lit(fen))).item() == text


@given(st.lists(st.integers(min_value=-(10**17), max_value=10**17) | st.floats(-1e12, 1e12), min_size=1))
def test_money_text_is_the_same_in_both_backends(values: list[float]) -> None:
    frame = pl.DataFrame({"f": values}, schema={"f": pl.Float64})
    assert frame.select(money_text(pl.col("f")).alias("t"))["t"].to_list() == [money_text_py(v) for v in values]


def test_every_vocabulary_belongs_to_a_text_or_int_column() -> None:
    for name, labels in VOCABULARIES.items():
        table, column = name.split(".")
        assert TABLES[table][column].kind in ("str", "int") and all(labels.values())


def _tables(persons: list[dict[str, object]]) -> dict[str, pl.DataFrame]:
    households = pl.DataFrame({"household_id": ["h"], "region_code": ["610102"], "archive_level": ["deep"]})
    return {"households": households, "persons": pl.DataFrame(persons)}


@pytest.mark.parametrize("backend", ["polars", "python"])
def test_codes_print_as_labels_and_only_children_get_school_aid(backend: str) -> None:
    pack = [p for p in load_pack(POLICY_DIR) if p.id == "school_aid"]
    kid = {"relation": "child", "admission_year": 2025, "admission_kind": "regular"}
    persons = [
        {"person_id": "dad", "household_id": "h", "relation": "head", "school_stage": None},
        {**kid, "person_id": "a", "household_id": "h", "school_stage": "junior"},
        {**kid, "person_id": "b", "household_id": "h", "school_stage": "none", "admission_year": None},
    ]
    rows = {r["person_id"]: r for r in screen(pack, _tables(persons), AS_OF, backend=backend).to_dicts()}
    assert set(rows) == {"a", "b"}  # applies_to: relation == 'child'
    assert "录取学段（初中）不在资助范围" in rows["a"]["reasons"]
    assert "未入学" in rows["b"]["reasons"] and "入学年份" not in rows["b"]["reasons"]


def test_a_code_without_a_label_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace("households.homes_owned: sensitive", "households.archive_level: normal").replace(
        "homes_owned < 2", "archive_level == 'poor'"
    )
    (issue,) = _issues(tmp_path, text)
    assert "'poor' 不是该字段的取值" in issue.message and "deep（深度困难）" in issue.fix


def test_applies_to_is_for_person_policies_and_cheap(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, GOOD + "applies_to: homes_owned < 2\n")
    assert "只用于个人政策" in issue.message
    person = GOOD.replace("entity: household", "entity: person").replace(
        "households.homes_owned: sensitive", "households.homes_owned: sensitive\n  events.kind: normal"
    )
    (issue,) = _issues(tmp_path, person + "applies_to: any(events, kind == 'medical_bill')\n")
    assert "不含关联表汇总" in issue.message
    (policy,) = load_pack(_write(tmp_path, person + "applies_to: homes_owned < 9\n"))
    assert policy.applies_to == "homes_owned < 9"


@pytest.mark.parametrize("backend", ["polars", "python"])
def test_a_missing_fact_of_a_member_names_the_member(backend: str) -> None:
    pack = [p for p in load_pack(POLICY_DIR) if p.id == "hardship_archive"]
    adult = {"household_id": "h", "birth_date": dt.date(1980, 1, 1), "able_to_work": True, "is_student": False}
    persons = [
        {**adult, "person_id": "p1", "relation": "head", "employed": True, "monthly_income": None},
        {**adult, "person_id": "p2", "relation": "spouse", "employed": True, "monthly_income": "1500"},
        {**adult, "person_id": "p3", "relation": "child", "employed": None, "monthly_income": "0"},
    ]
    tables = _tables(persons)
    tables["households"] = tables["households"].with_columns(
        pl.lit(1).alias("homes_owned"),
        *(pl.lit(False).alias(c) for c in ("owns_shop_or_employs", "private_car_non_work", "child_private_or_abroad")),
        *(pl.lit("0").alias(c) for c in ("other_annual_income", "rigid_medical_12m", "rigid_education_12m")),
        *(pl.lit("0").alias(c) for c in ("rigid_other_12m", "hardship_costs_12m")),
    )
    (row,) = screen(pack, tables, AS_OF, backend=backend).to_dicts()
    assert row["status"] == "possibly"
    named = list(zip(row["missing_fact_persons"], row["missing_facts"], strict=True))
    assert ("p1", "月收入") in named and ("p3", "劳动能力、在校、就业情况或出生日期") in named
    assert all(person is None for person, fact in named if fact.startswith("确定级别"))
