"""Shared fixtures: the example pack from the repository's ``policies/`` directory."""

from pathlib import Path

import pytest

from niangjia.rules import Policy, load_pack

POLICY_DIR = Path(__file__).resolve().parents[3] / "policies"


@pytest.fixture(scope="session")
def pack() -> list[Policy]:
    return load_pack(POLICY_DIR)
