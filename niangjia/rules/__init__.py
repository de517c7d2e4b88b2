"""政策找人 — the policy rules engine. Pure Python + Polars + PyYAML; imports nothing from Django.

Public API::

    load_pack(directory, *, published_only=False) -> list[Policy]
    screen(policies, tables, as_of, *, lazy=False) -> pl.DataFrame     # one row per (entity, policy)
    screen_household(policies, tables, household_id, as_of) -> pl.DataFrame
    screen_records(policies, records, as_of) -> list[dict]                # a few households, no frames
    explain_household(policies, tables, household_id, as_of) -> list[Trace]  # outcomes with their working
    run_policy_tests(policy, cases=None) -> list[CaseResult]
    tools.check / tools.run_tests / tools.diff / tools.screen_files    # what the commands do

Where things are: ``language/`` (the expression language), ``policy/`` (policy files, parameters,
the compiled plan), ``tables/`` (input schema, files, checks), ``backends/polars`` and
``backends/python`` (the two evaluators), ``engine`` (screen), ``results`` (the result's shape),
``tools`` (check, test, diff, screen files) and ``cli`` (argument parsing).
"""

from niangjia.rules.engine import explain_household, screen, screen_household, screen_records
from niangjia.rules.policy.errors import PolicyError, PolicyIssue
from niangjia.rules.policy.model import Policy
from niangjia.rules.policy.pack import load_pack
from niangjia.rules.results import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    POSSIBLY,
    RESULT_SCHEMA,
    MemberValues,
    Trace,
    TraceLine,
    result_schema,
)
from niangjia.rules.tables.schema import TABLES, tables_from_rows
from niangjia.rules.tools import CaseResult, run_policy_tests

__all__ = [
    "ELIGIBLE",
    "NOT_ELIGIBLE",
    "POSSIBLY",
    "RESULT_SCHEMA",
    "TABLES",
    "CaseResult",
    "MemberValues",
    "Policy",
    "PolicyError",
    "PolicyIssue",
    "Trace",
    "TraceLine",
    "explain_household",
    "load_pack",
    "result_schema",
    "run_policy_tests",
    "screen",
    "screen_household",
    "screen_records",
    "tables_from_rows",
]
