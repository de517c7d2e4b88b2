"""Demo data of the funds part (filled in by the funds work; see the part's docs)."""

from __future__ import annotations

from typing import Any

from niangjia.demo.orgs import TreeSeed


def funds_seed(*, tree: TreeSeed, seed: int, workers: int, stdout: Any) -> None:
    """Write the funds part's demo data through its services."""
