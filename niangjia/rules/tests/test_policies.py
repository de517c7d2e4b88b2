"""Every policy's embedded test cases, one pytest item per case."""

import pytest

from niangjia.rules import load_pack, run_policy_tests, screen, tables_from_rows
from niangjia.rules.tables.schema import TABLES
from niangjia.rules.tests.conftest import POLICY_DIR

PACK = load_pack(POLICY_DIR)
CASES = [(p, i) for p in PACK for i in range(len(p.tests))]
EXPECTED = {
    "hardship_archive",
    "warmth",
    "school_aid",
    "medical_aid",
    "emergency_relief",
    "inpatient_mutual_aid",
    "gig_training_subsidy",
    "archive_review",
}


def test_pack_is_complete() -> None:
    assert {p.id for p in PACK} == EXPECTED
    assert all(p.tests for p in PACK)


@pytest.mark.parametrize("backend", ["polars", "python"])
@pytest.mark.parametrize(("policy", "index"), CASES, ids=[f"{p.id}-{i}" for p, i in CASES])
def test_embedded_case(policy, index, backend) -> None:  # type: ignore[no-untyped-def]
    """Every embedded case passes on both backends (Polars plans and scalar rows)."""
    (result,) = run_policy_tests(policy, [policy.tests[index]], backend=backend)
    assert result.ok, "\n".join(result.failures)


@pytest.mark.parametrize("reasons", ["all", "kept"])
@pytest.mark.parametrize(("policy", "index"), CASES, ids=[f"{p.id}-{i}" for p, i in CASES])
def test_embedded_case_backends_agree(policy, index, reasons) -> None:  # type: ignore[no-untyped-def]
    """Beyond the expectations: every result row of every embedded case is identical on both backends."""
    case = policy.tests[index]
    tables = tables_from_rows({k: case[k] for k in TABLES if case.get(k)})
    order = ["policy_id", "household_id", "person_id"]
    got = {
        b: screen([policy], tables, case["as_of"], backend=b, reasons=reasons).sort(order, nulls_last=False)
        for b in ("polars", "python")
    }
    assert got["python"].schema == got["polars"].schema
    assert got["python"].to_dicts() == got["polars"].to_dicts()
