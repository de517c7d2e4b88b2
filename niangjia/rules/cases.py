"""Run the test cases embedded in policy files (and external case files of the same shape)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from niangjia.rules.engine import screen
from niangjia.rules.model import Policy
from niangjia.rules.results import Backend
from niangjia.rules.schema import TABLES, tables_from_rows

_CHECKED = (
    "status",
    "level",
    "amount",
    "missing_documents",
    "missing_facts",
    "reasons_contain",
    "reasons_not_contain",
)


@dataclass
class CaseResult:
    """Outcome of one test case."""

    policy_id: str
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _same(key: str, want: Any, got: Any) -> bool:
    if key == "amount":
        return (want is None and got is None) or (
            want is not None and got is not None and Decimal(str(want)) == Decimal(str(got))
        )
    if key in ("missing_documents", "missing_facts"):
        return sorted(want or []) == sorted(got or [])
    return bool(want == got)


def run_case(policy: Policy, case: dict[str, Any], backend: Backend = "auto") -> CaseResult:
    """Screen the case's tables with ``policy`` and compare each expected row."""
    result = CaseResult(policy.id, str(case.get("name", "?")))
    as_of = case.get("as_of")
    if not isinstance(as_of, dt.date):
        result.failures.append("测试缺少 as_of 日期")
        return result
    rows = {name: case.get(name) or [] for name in TABLES if case.get(name)}
    frame = screen([policy], tables_from_rows(rows), as_of, backend=backend)
    assert not isinstance(frame, type(None))
    key = "household_id" if policy.entity == "household" else "person_id"
    by_id = {r[key]: r for r in frame.to_dicts()}  # type: ignore[union-attr]
    for want in case.get("expect") or []:
        got = by_id.get(str(want.get(key)))
        if got is None:
            result.failures.append(f"结果中没有 {key}={want.get(key)}")
            continue
        for k in _CHECKED:
            if k not in want:
                continue
            if k == "reasons_contain":
                if str(want[k]) not in (got["reasons"] or ""):
                    result.failures.append(f"{want[key]}：理由中应包含「{want[k]}」，实际为「{got['reasons']}」")
            elif k == "reasons_not_contain":
                if str(want[k]) in (got["reasons"] or ""):
                    result.failures.append(f"{want[key]}：理由中不应包含「{want[k]}」，实际为「{got['reasons']}」")
            elif not _same(k, want[k], got[k]):
                result.failures.append(
                    f"{want[key]}：{k} 应为 {want[k]!r}，实际为 {got[k]!r}（理由：{got['reasons']}）"
                )
    return result


def run_policy_tests(
    policy: Policy, cases: list[dict[str, Any]] | None = None, backend: Backend = "auto"
) -> list[CaseResult]:
    """Run ``cases`` (default: the policy's embedded tests)."""
    return [run_case(policy, c, backend) for c in (policy.tests if cases is None else cases)]
