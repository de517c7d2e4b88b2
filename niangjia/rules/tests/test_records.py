"""The frame-free entry ``screen_records``: plain records in, result dicts out."""

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from niangjia.rules import Policy, screen, screen_records, tables_from_rows
from niangjia.rules.tables.rows import record_rows
from niangjia.rules.tests.conftest import as_record

AS_OF = dt.date(2025, 12, 1)

HOUSEHOLD = {
    "household_id": "h1",
    "region_code": "610112",
    "homes_owned": 1,
    "owns_shop_or_employs": False,
    "private_car_non_work": False,
    "child_private_or_abroad": False,
    "other_annual_income": 0,
    "rigid_medical_12m": Decimal("30000.00"),
    "rigid_education_12m": 0,
    "rigid_other_12m": 0,
    "hardship_costs_12m": 0,
    "archive_level": "deep",
    "last_review_date": dt.date(2024, 11, 1),
}
HEAD = {
    "person_id": "p1",
    "household_id": "h1",
    "relation": "head",
    "birth_date": dt.date(1975, 5, 1),
    "able_to_work": True,
    "is_student": False,
    "employed": True,
    "monthly_income": Decimal("1500.00"),
    "is_migrant": False,
    "union_member": True,
    "labour_relation_start": dt.date(2020, 1, 1),
    "lives_in_city": True,
    "work_injury_disabled": False,
    "major_illness": True,
    "mutual_aid_year": 2025,
    "gig_form": "none",
}
RECORDS = {
    "households": [HOUSEHOLD],
    "persons": [HEAD],
    "events": [{"event_id": "e1", "person_id": "p1", "kind": "sudden_event", "date": dt.date(2025, 11, 20)}],
    "payments": [],
    "documents": [{"household_id": "h1", "kind": "户口本"}],
}


def test_records_give_the_rows_of_screen(pack: list[Policy]) -> None:
    expected = screen(pack, tables_from_rows(RECORDS), AS_OF)
    assert isinstance(expected, pl.DataFrame)
    got = screen_records(pack, RECORDS, AS_OF)
    assert got == [as_record(r) for r in expected.to_dicts()]
    statuses = {(r["policy_id"], r["status"]) for r in got}
    assert ("warmth", "eligible") in statuses  # an archived household in the warmth season
    warmth = next(r for r in got if r["policy_id"] == "warmth")
    assert warmth["amount"] == Decimal("2000.00") and warmth["reasons"]


def test_cursor_values_are_typed_like_the_frames() -> None:
    """Text from a database cursor (ISO dates, decimals as text, 0/1 booleans) reads as typed values."""
    row = record_rows(
        "households",
        [{"household_id": "h1", "rigid_medical_12m": "12.345", "last_review_date": "2025-03-04", "homes_owned": "2"}],
    )[0]
    assert row["rigid_medical_12m"] == 1234  # fen, half-even like the Polars path
    assert row["last_review_date"] == dt.date(2025, 3, 4)
    assert row["homes_owned"] == 2
    assert row["archive_level"] == "none"  # no level recorded: not archived
    person = record_rows("persons", [{"person_id": 7, "union_member": 1, "monthly_income": 1760, "is_migrant": "否"}])
    assert person[0]["person_id"] == "7"
    assert person[0]["union_member"] is True
    assert person[0]["monthly_income"] == 176000
    assert person[0]["is_migrant"] is False
    assert person[0]["birth_date"] is None  # absent: unknown


@pytest.mark.parametrize(
    ("table", "record", "message"),
    [
        ("households", {"household_id": "h1", "last_review_date": "2025-13-01"}, "列 last_review_date"),
        ("persons", {"person_id": "p1", "monthly_income": "一千"}, "列 monthly_income"),
        ("persons", {"person_id": "p1", "mutual_aid_year": "明年"}, "列 mutual_aid_year"),
        ("persons", {"person_id": "p1", "able_to_work": dt.date(2025, 1, 1)}, "列 able_to_work"),
        ("persons", {"person_id": "p1", "union_member": "maybe"}, "列 union_member"),
        ("events", {"event_id": "e1", "colour": "red"}, "没有列 ['colour']"),
    ],
)
def test_bad_records_name_table_row_and_column(table: str, record: dict, message: str) -> None:
    with pytest.raises(ValueError, match="第 2 行") as err:
        record_rows(table, [{}, record])
    assert message in str(err.value) and f"表 {table}" in str(err.value)


def test_unknown_table_is_refused(pack: list[Policy]) -> None:
    with pytest.raises(ValueError, match="未知的输入表"):
        screen_records(pack, {"household": [HOUSEHOLD]}, AS_OF)
