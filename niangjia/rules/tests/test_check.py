"""Rosters filled in by hand: problems are named by table, row, column and fix; nothing is screened."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from niangjia.rules.cli import main
from niangjia.rules.tables.checks import InputError, check_tables
from niangjia.rules.tables.io import read_tables
from niangjia.rules.tables.schema import normalize_tables
from niangjia.rules.tests.conftest import POLICY_DIR
from niangjia.rules.tools import screen_files

AS_OF = dt.date(2025, 12, 1)


def _roster(path: Path, households: list[list[object]], persons: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    hh = book.add_worksheet("households")
    for i, row in enumerate(households):
        hh.write_row(i, 0, row)
    ps = book.add_worksheet("persons")
    for i, row in enumerate(persons):
        ps.write_row(i, 0, row)
    book.close()
    return path


HH = ["household_id", "region_code", "archive_level", "last_review_date", "other_annual_income"]
PS = ["person_id", "household_id", "relation", "monthly_income", "union_member", "birth_date"]


def test_bad_roster_names_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    roster = _roster(
        tmp_path / "roster.xlsx",
        [
            [*HH, "homes_ownd"],
            ["H1", "610112", "deep", "2024-03-01", "0", 1],
            ["H2", "610112", "deep", "2024-13-01", "0", 1],  # sheet row 3
            [],  # an empty row: skipped, but the numbering follows the sheet
            ["H3", "610112", "none", "2024-03-01", "abc", 1],  # row 5
            ["H3", "610112", "none", "2024-03-01", "0", 1],  # row 6: H3 again
        ],
        [PS, ["P1", "H1", "head", "1500", "是", "1980-01-01"], ["P2", "H9", "head", "一千", "maybe", "1980-02-30"]],
    )
    out = tmp_path / "results.xlsx"
    with pytest.raises(InputError) as err:
        screen_files(roster, out, AS_OF, POLICY_DIR)
    assert not out.exists()
    found = {(i.table, i.row, i.column) for i in err.value.issues}
    assert found == {
        ("households", None, "homes_ownd"),
        ("households", 3, "last_review_date"),
        ("households", 5, "other_annual_income"),
        ("households", 5, "household_id"),
        ("households", 6, "household_id"),
        ("persons", 3, "monthly_income"),
        ("persons", 3, "union_member"),
        ("persons", 3, "birth_date"),
        ("persons", 3, "household_id"),
    }
    text = str(err.value)
    assert "改为 homes_owned（家庭住房套数）" in text  # the nearest column name as the fix
    assert "表 households 第 3 行，列 last_review_date（上次复核日期）：“2024-13-01”不是有效的日期" in text
    assert "“H9”不在 households 表中" in text


def test_text_as_people_write_it_is_read(tmp_path: Path) -> None:
    """Full-width digits, thousands separators, 元, and dates in the usual Chinese forms."""
    roster = _roster(
        tmp_path / "roster.xlsx",
        [
            HH,
            ["H1", "610112", "deep", "2024年3月1日", "１２００"],
            ["H2", "610112", "none", "2024/3/1", "1,234.50元"],
            ["H3", "610112", "none", "20240301", "　８０　"],
        ],
        [PS, ["P1", "H1", "head", "1，500．5", "是", "1980.1.2"]],
    )
    tables = read_tables(roster)
    assert check_tables(tables) == []
    frames = {k: v.collect() for k, v in normalize_tables(tables).items()}
    hh = frames["households"].sort("household_id")
    assert hh["last_review_date"].to_list() == [dt.date(2024, 3, 1)] * 3
    assert hh["other_annual_income"].to_list() == [120000, 123450, 8000]  # fen
    person = frames["persons"].row(0, named=True)
    assert person["monthly_income"] == 150050
    assert person["birth_date"] == dt.date(1980, 1, 2)
    assert screen_files(roster, tmp_path / "out.parquet", AS_OF, POLICY_DIR) > 0


def test_csv_problems_are_numbered_by_line(tmp_path: Path) -> None:
    (tmp_path / "households.csv").write_text("household_id,region_code\nH1,610112\n,610112\n", encoding="utf-8")
    (tmp_path / "persons.csv").write_text(
        "person_id,household_id,monthly_income\nP1,H1,1500\nP1,H1,x\n", encoding="utf-8"
    )
    (tmp_path / "events.csv").write_text("person_id,kind,date\nP7,sudden_event,2025-11-01\n", encoding="utf-8")
    issues = {(i.table, i.row, i.column, i.message) for i in check_tables(read_tables(tmp_path))}
    assert issues == {
        ("households", 3, "household_id", "编号为空"),
        ("persons", 2, "person_id", "编号重复"),
        ("persons", 3, "person_id", "编号重复"),
        ("persons", 3, "monthly_income", "不是有效的金额"),
        ("events", 2, "person_id", "不在 persons 表中"),
    }
    assert main(["--policies", str(POLICY_DIR), "screen", "--input", str(tmp_path), "--output", "x.xlsx"]) == 2


def test_parquet_extracts_get_the_cheap_checks(tmp_path: Path) -> None:
    """Typed extracts: unknown columns and repeated households are refused; ids are trusted."""
    pl.DataFrame({"household_id": ["1", "1"], "region_cod": ["610112", "610112"]}).write_parquet(
        tmp_path / "households.parquet"
    )
    pl.DataFrame({"person_id": ["9"], "household_id": ["404"]}).write_parquet(tmp_path / "persons.parquet")
    issues = [(i.table, i.row, i.column, i.positional) for i in check_tables(read_tables(tmp_path))]
    assert issues == [
        ("households", None, "region_cod", False),
        ("households", 1, "household_id", True),
        ("households", 2, "household_id", True),
    ]
    assert "第 1 条记录" in str(InputError(check_tables(read_tables(tmp_path))))


def test_gbk_csv_is_read_and_a_broken_csv_is_named(tmp_path: Path) -> None:
    (tmp_path / "households.csv").write_bytes("household_id,region_code,archive_level\n户1,610112,deep\n".encode("gbk"))
    (tmp_path / "persons.csv").write_bytes("person_id,household_id,relation\n人1,户1,head\n".encode("gbk"))
    tables = read_tables(tmp_path)
    assert check_tables(tables) == []
    assert normalize_tables(tables)["persons"].collect()["household_id"].to_list() == ["户1"]
    (tmp_path / "households.csv").write_text('household_id\n"unclosed\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"households\.csv 无法读取"):
        read_tables(tmp_path)


def test_damaged_workbook_and_empty_roster_are_named(tmp_path: Path) -> None:
    (tmp_path / "roster.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ValueError, match=r"roster\.xlsx 不是可以读取的 Excel 文件"):
        read_tables(tmp_path / "roster.xlsx")
    empty = _roster(tmp_path / "empty.xlsx", [HH], [PS])
    with pytest.raises(InputError, match="households：没有数据行"):
        screen_files(empty, tmp_path / "out.xlsx", AS_OF, POLICY_DIR)
    assert not (tmp_path / "out.xlsx").exists()


def test_as_of_that_is_not_a_date_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["screen", "--input", "x", "--output", "y.xlsx", "--as-of", "2025-13-01"])
    assert exit_.value.code == 2
    assert "“2025-13-01”不是有效的日期" in capsys.readouterr().err
