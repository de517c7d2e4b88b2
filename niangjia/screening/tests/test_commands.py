"""The policies commands and screening a roster file that is not in the registry."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

POLICIES = Path(__file__).resolve().parents[3] / "policies"


def test_policies_check_and_test():
    out = StringIO()
    call_command("policies", "check", stdout=out)
    assert "全部政策文件校验通过" in out.getvalue()
    out = StringIO()
    call_command("policies", "test", stdout=out)
    assert "失败 0 个" in out.getvalue()


def test_policies_check_names_file_and_line(tmp_path):
    for source in POLICIES.glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "warmth.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("entity: household", "entity: family"), encoding="utf-8"
    )
    with pytest.raises(CommandError) as caught:
        call_command("policies", "--policies", str(tmp_path), "check")
    line = broken.read_text(encoding="utf-8").splitlines().index("entity: family") + 1
    assert f"warmth.yaml:{line}：" in str(caught.value)
    assert "entity 只能是 household（家庭）或 person（个人）" in str(caught.value)


def test_screen_a_roster_file(tmp_path):
    source = tmp_path / "roster"
    source.mkdir()
    pl.DataFrame({"household_id": ["h1"], "region_code": ["610114"], "archive_level": ["deep"]}).write_csv(
        source / "households.csv"
    )
    pl.DataFrame({"person_id": ["p1"], "household_id": ["h1"], "relation": ["head"]}).write_csv(source / "persons.csv")
    output = tmp_path / "results.xlsx"
    out = StringIO()
    call_command("screen", "--input", str(source), "--output", str(output), "--as-of", "2026-12-01", stdout=out)
    assert output.exists() and "写出" in out.getvalue()
    rows = CalamineWorkbook.from_path(str(output)).get_sheet_by_name("results").to_python()
    header, body = rows[0], rows[1:]
    by_policy = {row[header.index("policy_id")]: row for row in body}
    # An archived deep household in season: 2000 (RULES.md, warmth).
    assert by_policy["warmth"][header.index("status")] == "eligible"
    assert float(by_policy["warmth"][header.index("amount")]) == 2000.0


def test_screen_input_requires_output(tmp_path):
    with pytest.raises(CommandError, match="--output"):
        call_command("screen", "--input", str(tmp_path))
