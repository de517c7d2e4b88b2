"""Every policy's embedded test cases, one pytest item per case."""

import pytest

from niangjia.rules import load_pack, run_policy_tests
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


@pytest.mark.parametrize(("policy", "index"), CASES, ids=[f"{p.id}-{i}" for p, i in CASES])
def test_embedded_case(policy, index) -> None:  # type: ignore[no-untyped-def]
    (result,) = run_policy_tests(policy, [policy.tests[index]])
    assert result.ok, "\n".join(result.failures)
