"""A household's computation trace comes from the evaluation that produced its outcome."""

import datetime as dt
from decimal import Decimal

import pytest

from niangjia.rules import Policy, Trace, explain_household, screen_household, tables_from_rows
from niangjia.rules.tests.conftest import as_record

AS_OF = dt.date(2025, 6, 1)
HOUSEHOLD = {
    "household_id": "h1",
    "region_code": "610114",
    "homes_owned": 1,
    "owns_shop_or_employs": False,
    "private_car_non_work": False,
    "child_private_or_abroad": False,
    "other_annual_income": Decimal("8159.96"),
    "rigid_medical_12m": 15320,
    "rigid_education_12m": 0,
    "rigid_other_12m": 0,
    "hardship_costs_12m": 0,
    "archive_level": "relative",
}
PERSON = {"household_id": "h1", "is_student": False, "is_migrant": False, "major_illness": False}
MEMBERS = [
    # Able to work, 45, no job: counted at the minimum wage whatever is recorded (500).
    {**PERSON, "person_id": "a", "relation": "head", "birth_date": dt.date(1980, 3, 1), "able_to_work": True,
     "employed": False, "monthly_income": 500},
    {**PERSON, "person_id": "b", "relation": "spouse", "birth_date": dt.date(1982, 1, 1), "able_to_work": False,
     "employed": False, "monthly_income": 0},
    {**PERSON, "person_id": "c", "relation": "child", "birth_date": dt.date(2012, 1, 1), "able_to_work": False,
     "is_student": True, "employed": False, "monthly_income": 0},
]  # fmt: skip


def _explain(pack: list[Policy], household: dict, members: list[dict], policy_id: str) -> Trace:
    tables = tables_from_rows({"households": [household], "persons": members})
    (trace,) = [t for t in explain_household(pack, tables, "h1", AS_OF) if t.policy_id == policy_id]
    return trace


def _lines(trace: Trace) -> list[tuple[str | None, str, str, str]]:
    return [(x.person_id, x.label, x.value, x.note) for x in trace.lines]


def test_hardship_trace_is_the_evaluation_behind_the_level(pack: list[Policy]) -> None:
    trace = _explain(pack, HOUSEHOLD, MEMBERS, "hardship_archive")
    assert trace.computed and trace.result["level"] == "deep"
    imputed = {m.person_id: (m.values["imputed"], m.values["counted_income"]) for m in trace.members}
    assert imputed == {"a": (True, Decimal("2160")), "b": (False, Decimal("0")), "c": (False, Decimal("0"))}
    v = trace.values
    assert v["monthly_total"] == Decimal("2160") and v["size"] == 3 and v["rigid"] == Decimal("15320")
    assert v["annual_income"] == 12 * Decimal("2160") + Decimal("8159.96")
    assert v["pc"] == Decimal("521.11")  # (34079.96 − 15320) ÷ 3 ÷ 12, as the level compared it
    assert "家庭月人均纯收入 521.11 元，低于低保标准 850.00 元" in trace.result["reasons"]
    lines = _lines(trace)
    assert lines[0] == (
        "a",
        "",
        "2,160.00 元/月",
        "有劳动能力未就业（18–59 岁、非在校），按最低工资 2,160.00 元计，不看登记收入",
    )
    assert lines[1] == ("b", "", "0.00 元/月", "按登记月收入计")
    steps = {label: (value, note) for _, label, value, note in lines[3:]}
    assert steps["扣除医疗刚性支出"][0] == "15,320.00 元"
    assert steps["家庭人口"][0] == "3 人"
    assert steps["家庭月人均纯收入"] == ("521.11 元", "（家庭年收入 34,079.96 − 刚性支出 15,320.00）÷ 3 人 ÷ 12")
    assert steps["低保标准"][0] == "850.00 元"
    assert "扣除教育刚性支出" not in steps and "低保标准的 2 倍" not in steps  # zero / not compared


def test_relative_household_shows_the_double_line(pack: list[Policy]) -> None:
    employed = [{**MEMBERS[0], "employed": True, "monthly_income": 4000}, *MEMBERS[1:]]
    trace = _explain(pack, {**HOUSEHOLD, "rigid_medical_12m": 0}, employed, "hardship_archive")
    assert trace.result["level"] == "relative" and trace.members[0].values["imputed"] is False
    steps = {label: value for _, label, value, _ in _lines(trace)}
    assert steps["低保标准的 2 倍"] == "1,700.00 元" and steps["家庭人口"] == "3 人"
    assert ("a", "", "4,000.00 元/月", "按登记月收入计") in _lines(trace)


def test_unknown_imputation_is_said_not_guessed(pack: list[Policy]) -> None:
    unknown = [{**MEMBERS[0], "able_to_work": None}, *MEMBERS[1:]]
    trace = _explain(pack, HOUSEHOLD, unknown, "hardship_archive")
    assert trace.result["status"] == "possibly" and trace.values["pc"] is None
    assert trace.members[0].values == {"imputed": None, "counted_income": None}
    assert _lines(trace)[0] == ("a", "", "未知", "劳动能力、在校、就业情况或出生日期未登记，无法判断是否按最低工资计")
    assert ("b", "", "0.00 元/月", "按登记月收入计") in _lines(trace)


def test_ruled_out_early_has_no_arithmetic(pack: list[Policy]) -> None:
    trace = _explain(pack, {**HOUSEHOLD, "homes_owned": 2}, MEMBERS, "hardship_archive")
    assert trace.result["status"] == "not_eligible" and not trace.computed
    assert trace.lines == () and "pc" not in trace.values


def test_a_failed_condition_hides_the_arithmetic_a_missed_level_shows_it(pack: list[Policy]) -> None:
    migrant = {"is_migrant": True, "union_member": False, "lives_in_city": True, "labour_relation_start": AS_OF}
    trace = _explain(pack, HOUSEHOLD, [{**MEMBERS[0], **migrant}, *MEMBERS[1:]], "hardship_archive")
    assert trace.result["status"] == "not_eligible" and trace.computed and trace.lines == ()
    assert trace.values["pc"] == Decimal("521.11")  # evaluated all the same, just not the reason
    relief = _explain(pack, HOUSEHOLD, MEMBERS, "emergency_relief")  # no sudden event
    assert relief.computed and relief.lines == ()
    rich = [{**MEMBERS[0], "employed": True, "monthly_income": 9000}, *MEMBERS[1:]]
    trace = _explain(pack, HOUSEHOLD, rich, "hardship_archive")
    assert trace.result["status"] == "not_eligible" and trace.result["level"] is None
    steps = {label: value for _, label, value, _ in _lines(trace)}
    assert steps["低保标准的 2 倍"] == "1,700.00 元" and steps["近 12 个月致困支出"] == "0.00 元"


def test_amount_trace_per_person_with_cap(pack: list[Policy]) -> None:
    tables = tables_from_rows(
        {
            "households": [{"household_id": "h1", "region_code": "610102"}],
            "persons": [{"person_id": "a", "household_id": "h1", "mutual_aid_year": 2025}],
            "events": [{"person_id": "a", "kind": "inpatient_stay", "date": dt.date(2025, 5, 1), "days": 20}],
            "payments": [
                {"person_id": "a", "policy_id": "inpatient_mutual_aid", "paid_on": dt.date(2025, 3, 1), "amount": 4400}
            ],
        }
    )
    (trace,) = [t for t in explain_household(pack, tables, "h1", AS_OF) if t.policy_id == "inpatient_mutual_aid"]
    assert trace.person_id == "a" and trace.result["amount"] == Decimal("100.00")
    assert trace.values["paid_days"] == 17 and trace.values["by_days"] == Decimal("850")
    assert trace.values["remaining"] == Decimal("100") and trace.values["amount"] == Decimal("100")
    steps = {label: value for _, label, value, _ in _lines(trace)}
    assert steps == {
        "可计住院天数": "17 天",
        "住院津贴标准": "50.00 元/天",
        "按天数应给付": "850.00 元",
        "本年上限": "4,500.00 元",
        "本年已领住院互助": "4,400.00 元",
        "本年还可领": "100.00 元",
        "本次给付": "100.00 元",
    }


def test_policies_without_a_section_have_no_lines(pack: list[Policy]) -> None:
    tables = tables_from_rows({"households": [HOUSEHOLD], "persons": MEMBERS})
    traces = explain_household(pack, tables, "h1", dt.date(2025, 11, 15))
    warmth = [t for t in traces if t.policy_id == "warmth"]
    assert warmth[0].result["amount"] == Decimal("1000.00") and warmth[0].lines == ()


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2025, 8, 1), dt.date(2025, 12, 1)])
def test_results_are_screen_household_rows(pack: list[Policy], as_of: dt.date) -> None:
    tables = tables_from_rows({"households": [HOUSEHOLD], "persons": MEMBERS})
    traces = explain_household(pack, tables, "h1", as_of)
    rows = screen_household(pack, tables, "h1", as_of, backend="python").to_dicts()
    assert [t.result for t in traces] == [as_record(r) for r in rows]
    assert explain_household([], tables, "h1", as_of) == []
