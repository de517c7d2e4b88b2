"""Demo data of the assistance part (filled in by the assistance work; see the part's docs)."""

from __future__ import annotations

from typing import Any

from niangjia.demo.orgs import TreeSeed


def assistance_seed(*, tree: TreeSeed, seed: int, workers: int, stdout: Any) -> None:
    """Write the assistance part's demo data through its services."""
