"""The pairing problem and its solution, as arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Problem:
    """Cadres and enterprises with their places; `*_group` is the district (any integer).

    `cadre_capacity[c]` is how many more enterprises cadre c may take (k minus their fixed pairs).
    `forbidden` lists (enterprise index, cadre index) pairs that must not be made (exclusions).
    With `cross_group` False an enterprise goes only to a cadre of its own group.
    """

    cadre_lng: Floats
    cadre_lat: Floats
    cadre_capacity: Ints
    cadre_group: Ints
    enterprise_lng: Floats
    enterprise_lat: Floats
    enterprise_group: Ints
    forbidden: Ints = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    cross_group: bool = False

    @property
    def cadres(self) -> int:
        return len(self.cadre_lng)

    @property
    def enterprises(self) -> int:
        return len(self.enterprise_lng)


@dataclass
class GroupReport:
    """How one independent part (a district, or everything when pairs may cross districts) was solved."""

    group: int | None
    cadres: int
    slots: int
    enterprises: int
    paired: int
    total_km: float
    lower_bound_km: float
    baseline_paired: int
    baseline_total_km: float
    method: str  # "dense" (exact) or "sparse" (k nearest candidates, then re-solved by windows)
    optimal: bool
    seconds: float


@dataclass
class Solution:
    """The cadre of each enterprise (-1: not paired) and the distance of each pair."""

    enterprise_cadre: Ints
    distance_km: Floats
    groups: list[GroupReport]
    seconds: float

    @property
    def paired(self) -> int:
        return int((self.enterprise_cadre >= 0).sum())

    @property
    def total_km(self) -> float:
        return float(sum(g.total_km for g in self.groups))

    @property
    def mean_km(self) -> float | None:
        return self.total_km / self.paired if self.paired else None

    @property
    def lower_bound_km(self) -> float:
        return float(sum(g.lower_bound_km for g in self.groups))

    @property
    def gap(self) -> float | None:
        """(total − lower bound) / lower bound: how far above the bound the solution can at most be."""
        bound = self.lower_bound_km
        if bound <= 0:
            return 0.0 if self.total_km <= 1e-9 else None
        return max(0.0, self.total_km - bound) / bound

    @property
    def optimal(self) -> bool:
        return all(g.optimal for g in self.groups)

    @property
    def baseline_paired(self) -> int:
        return sum(g.baseline_paired for g in self.groups)

    @property
    def baseline_total_km(self) -> float:
        return float(sum(g.baseline_total_km for g in self.groups))

    @property
    def baseline_mean_km(self) -> float | None:
        return self.baseline_total_km / self.baseline_paired if self.baseline_paired else None

    @property
    def method(self) -> str:
        methods = {g.method for g in self.groups}
        return "sparse" if "sparse" in methods else "dense"
