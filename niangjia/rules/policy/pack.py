"""Load a directory of policy files: parse, validate and compile-check every one of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from niangjia.rules.policy.errors import PolicyError, PolicyIssue
from niangjia.rules.policy.loading import PARAMETERS_FILE, load_parameters, load_policy, policy_files
from niangjia.rules.policy.model import Policy
from niangjia.rules.policy.parameters import Parameter
from niangjia.rules.policy.plan import compile_policy


def validate_policy(policy: Policy) -> list[PolicyIssue]:
    """Compile ``policy`` once to check every formula, name, type and declared field."""
    try:
        compile_policy(policy, max(policy.effective_from, dt.date(2000, 1, 1)))
    except PolicyError as exc:
        return exc.issues
    return []


def load_pack(directory: str | Path, *, published_only: bool = False) -> list[Policy]:
    """Load every policy in ``directory``; raise :class:`PolicyError` with all issues found."""
    root = Path(directory)
    shared: dict[str, Parameter] = {}
    shared_hash = ""
    issues: list[PolicyIssue] = []
    if (root / PARAMETERS_FILE).exists():
        try:
            shared, shared_hash = load_parameters(root / PARAMETERS_FILE)
        except PolicyError as exc:
            issues += exc.issues
    policies: list[Policy] = []
    for path in policy_files(root):
        try:
            policy = load_policy(path, shared, shared_hash)
        except PolicyError as exc:
            issues += exc.issues
            continue
        found = validate_policy(policy)
        issues += found
        if not found:
            policies.append(policy)
    if issues:
        raise PolicyError(issues)
    return [p for p in policies if p.status == "published" or not published_only]
