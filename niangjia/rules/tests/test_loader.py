"""Validation errors name the file, the line and the fix, in Chinese."""

from pathlib import Path

import pytest

from niangjia.rules import PolicyError, load_pack
from niangjia.rules.tests.conftest import POLICY_DIR
from niangjia.rules.tools import check

GOOD = """\
id: demo
name: 示例
version: "1"
status: draft
issuer: 测试
legal_basis: [测试]
effective: {from: 2025-01-01}
entity: household
reads:
  households.homes_owned: sensitive
conditions:
  - id: homes
    when: homes_owned < 2
    pass: 住房少于 2 套
    fail: 住房 2 套及以上
"""


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "demo.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _issues(tmp_path: Path, text: str) -> list:
    with pytest.raises(PolicyError) as err:
        load_pack(_write(tmp_path, text))
    return err.value.issues


def test_good_file_loads(tmp_path: Path) -> None:
    (policy,) = load_pack(_write(tmp_path, GOOD))
    assert policy.id == "demo" and len(policy.content_hash) == 64


def test_unknown_name_names_file_line_and_fix(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, GOOD.replace("homes_owned < 2", "homes_ownd < 2"))
    assert issue.file.endswith("demo.yaml") and issue.line == 12
    assert "未知的名称：homes_ownd" in issue.message and "检查拼写" in issue.fix


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, GOOD.replace("entity: household", "entity: [household"))
    assert issue.line is not None and "YAML 格式错误" in issue.message


def test_undeclared_sensitive_read(tmp_path: Path) -> None:
    text = GOOD.replace("homes_owned < 2", "homes_owned < 2 and other_annual_income < 100")
    (issue,) = _issues(tmp_path, text)
    assert "households.other_annual_income" in issue.message and "sensitive" in issue.fix


def test_sensitive_declared_normal(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, GOOD.replace("homes_owned: sensitive", "homes_owned: normal"))
    assert "敏感字段" in issue.message and issue.line == 10


def test_bad_status_entity_and_unknown_key(tmp_path: Path) -> None:
    text = (
        GOOD.replace("status: draft", "status: live").replace("entity: household", "entity: family") + "colour: red\n"
    )
    messages = " ".join(i.message for i in _issues(tmp_path, text))
    assert "未知的状态" in messages and "未知的对象类型" in messages and "未知的字段：colour" in messages


def test_type_error_in_formula(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, GOOD.replace("homes_owned < 2", "homes_owned < '2'"))
    assert issue.line == 12 and "比较" in issue.message


def test_bad_region_code_in_parameter(tmp_path: Path) -> None:
    text = GOOD + 'parameters:\n  x:\n    unit: yuan\n    values:\n      "61": [{from: 2025-01-01, value: 1}]\n'
    (issue,) = _issues(tmp_path, text)
    assert "区划代码不合法" in issue.message and issue.line == 20


def test_check_on_repository_pack_is_clean() -> None:
    assert check(POLICY_DIR) == []


ARITHMETIC = """\
let:
  double: 2 * homes_owned
arithmetic:
  lines:
    - label: 住房
      value: "{homes_owned} 套"
      note: 2 倍为 {double}
      when: homes_owned > 0
"""


def test_arithmetic_section_loads(tmp_path: Path) -> None:
    (policy,) = load_pack(_write(tmp_path, GOOD + ARITHMETIC))
    (line,) = policy.arithmetic
    assert (line.label, line.value, line.when, line.line) == ("住房", "{homes_owned} 套", "homes_owned > 0", 20)


def test_arithmetic_unknown_name_names_line_and_fix(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, GOOD + ARITHMETIC.replace("{double}", "{tripple}"))
    assert (
        issue.line == 20 and "算式说明「2 倍为 {tripple}」" in issue.message and "未知的名称：tripple" in issue.message
    )
    assert "检查拼写" in issue.fix


def test_arithmetic_unknown_keys_refused(tmp_path: Path) -> None:
    text = GOOD + ARITHMETIC.replace("  lines:", "  total: x\n  lines:").replace(
        "      when:", "      colour: red\n      when:"
    )
    messages = {i.message: i.line for i in _issues(tmp_path, text)}
    assert messages == {"arithmetic 中未知的字段：total": 19, "算式说明中未知的字段：colour": 24}


def test_arithmetic_line_needs_label_and_value(tmp_path: Path) -> None:
    text = GOOD + "arithmetic:\n  lines:\n    - note: 说明\n"
    messages = sorted(i.message for i in _issues(tmp_path, text))
    assert messages == ["缺少字段 arithmetic.lines.0.label", "缺少字段 arithmetic.lines.0.value"]


def test_arithmetic_when_must_be_a_plain_condition(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, GOOD + ARITHMETIC.replace("homes_owned > 0", "homes_owned + 1"))
    assert issue.line == 20 and "不是真假值" in issue.message
    (issue,) = _issues(tmp_path, GOOD + ARITHMETIC.replace("homes_owned > 0", "count(members) > 0"))
    assert "不能做关联表汇总" in issue.message and "let" in issue.fix


def test_arithmetic_member_lines_see_member_variables_and_check_reads(tmp_path: Path) -> None:
    members = 'arithmetic:\n  members:\n    - value: "{monthly_income} 元"\n'
    (issue,) = _issues(tmp_path, GOOD + members)
    assert "persons.monthly_income" in issue.message and "reads" in issue.fix
    declared = GOOD.replace("reads:\n", "reads:\n  persons.monthly_income: sensitive\n") + members
    (policy,) = load_pack(_write(tmp_path, declared))
    assert policy.arithmetic_members[0].label == "" and policy.arithmetic == ()


def test_empty_arithmetic_refused(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, GOOD + "arithmetic: {}\n")
    assert "没有任何一行" in issue.message
