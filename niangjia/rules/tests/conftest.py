"""Shared fixtures: the example pack from the repository's ``policies/`` directory."""

from pathlib import Path

import pytest

from niangjia.rules import Policy, load_pack

POLICY_DIR = Path(__file__).resolve().parents[3] / "policies"


@pytest.fixture(scope="session")
def pack() -> list[Policy]:
    return load_pack(POLICY_DIR)


_TEXT_COLUMNS = ("policy_id", "policy_version", "content_hash", "parameters_hash", "status")


def as_record(row: dict) -> dict:
    """A result frame's row as ``screen_records`` gives it (categorical and enum columns as text)."""
    return {k: str(v) if k in _TEXT_COLUMNS and v is not None else v for k, v in row.items()}
