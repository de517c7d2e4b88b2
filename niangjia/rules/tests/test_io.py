"""Reading the registry from a workbook: every cell is read as text and typed by the schema."""

import datetime as dt
from pathlib import Path

import polars as pl
import xlsxwriter

from niangjia.rules.tables.io import read_tables
from niangjia.rules.tables.schema import normalize_tables
from niangjia.rules.tests.conftest import POLICY_DIR
from niangjia.rules.tools import screen_files


def _workbook(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    hh = book.add_worksheet("households")
    hh.write_row(0, 0, ["household_id", "region_code", "archive_level", "last_review_date", "homes_owned"])
    hh.write_row(1, 0, ["007", 610102, "deep"])  # text id with a leading zero, numeric region code
    hh.write_datetime(1, 3, dt.datetime(2024, 1, 2), date)
    hh.write_number(1, 4, 1)
    hh.write_row(2, 0, [8, "610122", None])  # numeric id, text region, no archive level
    persons = book.add_worksheet("persons")
    persons.write_row(0, 0, ["person_id", "household_id", "relation", "monthly_income", "employed", "birth_date"])
    persons.write_row(1, 0, ["p1", "007", "head", 1234.56, True, "1980-05-06"])
    persons.write_row(2, 0, ["p2", 8, "head", 3000, False])
    persons.write_datetime(2, 5, dt.datetime(1990, 2, 28), date)
    book.close()


def test_xlsx_cells_are_typed_like_csv(tmp_path: Path) -> None:
    _workbook(tmp_path / "registry.xlsx")
    tables = read_tables(tmp_path / "registry.xlsx")
    assert tables["events"] is None
    frames = {k: v.collect() for k, v in normalize_tables(tables).items()}
    hh = frames["households"].sort("household_id")
    assert hh["household_id"].to_list() == ["007", "8"]
    assert hh["region_code"].to_list() == ["610102", "610122"]
    assert hh["last_review_date"].to_list() == [dt.date(2024, 1, 2), None]
    assert hh["archive_level"].to_list() == ["deep", "none"]
    persons = frames["persons"].sort("person_id")
    assert persons["monthly_income"].to_list() == [123456, 300000]  # fen, exact
    assert persons["employed"].to_list() == [True, False]
    assert persons["birth_date"].to_list() == [dt.date(1980, 5, 6), dt.date(1990, 2, 28)]


def test_screen_files_reads_xlsx(tmp_path: Path) -> None:
    _workbook(tmp_path / "registry.xlsx")
    out = tmp_path / "results.parquet"
    rows = screen_files(tmp_path / "registry.xlsx", out, dt.date(2025, 12, 1), POLICY_DIR)
    results = pl.read_parquet(out)
    assert rows == results.height > 0
    warmth = results.filter(pl.col("policy_id") == "warmth").sort("household_id")
    assert warmth["household_id"].to_list() == ["007", "8"]
    assert warmth["status"].cast(pl.String).to_list() == ["eligible", "possibly"]  # 8: work injury unknown
    assert warmth["amount"].to_list()[0] == 2000


def test_chunked_screening_equals_whole(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(POLICY_DIR.parent / "benchmarks" / "rules"))
    import synth

    from niangjia.rules import load_pack, screen
    from niangjia.rules.tools import screen_chunked

    tables = synth.generate(400, seed=5)
    for name, frame in tables.items():
        frame.write_parquet(tmp_path / f"{name}.parquet")
    pack = load_pack(POLICY_DIR, published_only=True)
    as_of = dt.date(2025, 11, 15)
    rows = screen_chunked(pack, read_tables(tmp_path), as_of, tmp_path / "out", 37)
    parts = pl.read_parquet(tmp_path / "out" / "*.parquet")
    whole = screen(pack, tables, as_of, lazy=True, reasons="kept").collect()
    order = ["policy_id", "household_id", "person_id"]
    assert rows == parts.height == whole.height
    assert len(list((tmp_path / "out").glob("part-*.parquet"))) > 3
    assert parts.sort(order).to_dicts() == whole.sort(order).to_dicts()


def test_policy_columns_are_an_enum_of_the_pack_and_survive_parquet(tmp_path: Path, pack: list) -> None:
    from niangjia.rules import result_schema, screen

    published = [p for p in pack if p.status == "published"]
    schema = result_schema(published)
    assert schema["policy_id"] == pl.Enum(sorted(p.id for p in published))
    assert schema["content_hash"] == pl.Enum(sorted({p.content_hash for p in published}))
    assert schema["level"] == pl.Enum(sorted({lv.id for p in published for lv in p.levels}))
    assert "建档深度困难" in schema["level_label"].categories
    tables = {
        "households": pl.DataFrame({"household_id": ["h"], "region_code": ["610102"], "archive_level": ["deep"]}),
        "persons": pl.DataFrame({"person_id": ["a"], "household_id": ["h"], "relation": ["head"]}),
    }
    as_of = dt.date(2025, 11, 15)
    for backend in ("polars", "python"):
        result = screen(published, tables, as_of, backend=backend)
        assert dict(result.schema) == schema, backend
    warmth = result.filter(pl.col("policy_id") == "warmth").row(0, named=True)
    assert (warmth["level"], warmth["level_label"]) == ("deep", "建档深度困难")
    whole = screen(published, tables, as_of, lazy=True)
    whole.sink_parquet(tmp_path / "r.parquet")
    back = pl.read_parquet(tmp_path / "r.parquet")
    assert back.schema == whole.collect_schema()
    assert back.sort("policy_id")["policy_id"].to_list() == sorted(back["policy_id"].to_list())
    # One policy alone has its own Enum; results of two packs are combined as text.
    alone = screen(published[:1], tables, as_of)
    assert alone.schema["policy_id"] == pl.Enum([published[0].id])
    combined = pl.concat([f.with_columns(pl.col(pl.Enum).cast(pl.String)) for f in (alone, back)])
    assert combined.filter(pl.col("policy_id") == published[0].id).height == alone.height + alone.height


def test_members_in_any_order_give_the_same_results() -> None:
    """Persons listed household by household take the no-sort path; shuffled ones are sorted."""
    import sys

    sys.path.insert(0, str(POLICY_DIR.parent / "benchmarks" / "rules"))
    import synth

    from niangjia.rules import load_pack, screen

    tables = synth.generate(3000, seed=11)
    persons = tables["persons"]
    assert persons.join(tables["households"].with_row_index("h"), on="household_id")["h"].is_sorted()
    shuffled = tables | {"persons": persons.sample(fraction=1.0, shuffle=True, seed=3)}
    pack = load_pack(POLICY_DIR, published_only=True)
    order = ["policy_id", "household_id", "person_id"]
    as_of = dt.date(2025, 11, 15)
    listed = screen(pack, tables, as_of, backend="polars").sort(order)
    again = screen(pack, shuffled, as_of, backend="polars").sort(order)
    assert listed.height > 3000
    assert listed.to_dicts() == again.to_dicts()


def test_the_command_line_screens_a_roster_and_refuses_a_bad_one(tmp_path: Path) -> None:
    """``python -m niangjia.rules screen`` as a user runs it, in its own process."""
    import subprocess
    import sys

    (tmp_path / "households.csv").write_text("household_id,region_code,archive_level\nh1,610102,deep\n")
    (tmp_path / "persons.csv").write_text("person_id,household_id,relation\np1,h1,head\n")
    out = tmp_path / "r.parquet"
    args = ["--policies", str(POLICY_DIR), "screen", "--input", str(tmp_path), "--output", str(out)]
    run = subprocess.run(
        [sys.executable, "-m", "niangjia.rules", *args, "--as-of", "2025-11-15", "--reasons", "kept"],
        capture_output=True,
        text=True,
        cwd=POLICY_DIR.parent,
    )
    assert run.returncode == 0, run.stderr
    assert "已写出" in run.stdout
    warmth = pl.read_parquet(out).filter(pl.col("policy_id") == "warmth")
    assert warmth.select("household_id", "status", "amount").row(0) == ("h1", "eligible", 2000)
    (tmp_path / "persons.csv").write_text("person_id,household_id,relation\np1,h9,head\n")
    bad = subprocess.run([sys.executable, "-m", "niangjia.rules", *args], capture_output=True, text=True)
    assert bad.returncode == 2
    assert "h9" in bad.stderr and "Traceback" not in bad.stderr
