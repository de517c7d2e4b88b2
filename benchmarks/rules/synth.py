"""Synthetic registry: N people in about N/2.86 households, plausible distributions (FACTS.md §7).

Pure Python ``random`` + Polars (no numpy in the project environment); generation is not timed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

import polars as pl

REGIONS = ["610102", "610103", "610104", "610111", "610112", "610113", "610116", "610122", "610124"]


class _Rng:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def choice(self, values: Sequence[Any], n: int, p: Sequence[float] | None = None) -> list[Any]:
        return self.r.choices(values, weights=p, k=n)

    def bern(self, n: int, p: float) -> list[bool]:
        rnd = self.r.random
        return [rnd() < p for _ in range(n)]

    def ints(self, a: int, b: int, n: int) -> list[int]:
        rnd = self.r.randrange
        return [rnd(a, b) for _ in range(n)]

    def money(self, n: int, mean: float, p_nonzero: float = 1.0) -> list[float]:
        rnd, exp = self.r.random, self.r.expovariate
        return [round(exp(1 / mean), 2) if rnd() < p_nonzero else 0.0 for _ in range(n)]

    def dates(self, start: dt.date, end: dt.date, n: int) -> pl.Series:
        base = start.toordinal()
        span = end.toordinal() - base
        return pl.Series([dt.date.fromordinal(base + d) for d in self.ints(0, span, n)], dtype=pl.Date)


def generate(n_people: int, seed: int = 7, id_offset: int = 0) -> dict[str, pl.DataFrame]:
    """Return the five input tables for ``n_people`` people (money in yuan, as the registry exports)."""
    g = _Rng(seed)
    sizes: list[int] = []
    total = 0
    for s in g.choice([1, 2, 3, 4, 5], int(n_people / 2.86) + 10, [0.12, 0.25, 0.35, 0.18, 0.10]):
        if total + s > n_people:
            break
        sizes.append(s)
        total += s
    h, n = len(sizes), total
    hids = pl.Series([str(i + id_offset) for i in range(h)])
    households = pl.DataFrame(
        {
            "household_id": hids,
            "region_code": g.choice(REGIONS, h),
            "homes_owned": g.choice([0, 1, 2, 3], h, [0.2, 0.65, 0.12, 0.03]),
            "owns_shop_or_employs": g.bern(h, 0.04),
            "private_car_non_work": g.bern(h, 0.2),
            "child_private_or_abroad": g.bern(h, 0.02),
            "other_annual_income": g.money(h, 3000),
            "rigid_medical_12m": g.money(h, 8000, 0.2),
            "rigid_education_12m": g.money(h, 5000, 0.15),
            "rigid_other_12m": [0.0] * h,
            "hardship_costs_12m": g.money(h, 30000, 0.05),
            "archive_level": g.choice(["none", "deep", "relative", "sudden"], h, [0.94, 0.018, 0.033, 0.009]),
            "last_review_date": g.dates(dt.date(2023, 6, 1), dt.date(2025, 11, 1), h),
        }
    )
    hh_of = [i for i, s in enumerate(sizes) for _ in range(s)]
    relation = [("head" if r == 0 else "spouse" if r == 1 else "child") for s in sizes for r in range(s)]
    pids = pl.Series([str(i + id_offset * 3) for i in range(n)])
    incomes = [round(g.r.lognormvariate(8.1, 0.6), 2) if g.r.random() > 0.03 else None for _ in range(n)]
    child = [r == "child" for r in relation]
    persons = pl.DataFrame(
        {
            "person_id": pids,
            "household_id": hids.gather(hh_of),
            "relation": relation,
            "birth_date": g.dates(dt.date(1955, 1, 1), dt.date(2012, 1, 1), n),
            "able_to_work": g.bern(n, 0.85),
            "is_student": [c and x for c, x in zip(child, g.bern(n, 0.6), strict=True)],
            "employed": g.bern(n, 0.75),
            "monthly_income": incomes,  # 3% unknown: the engine must say "possibly"
            "is_migrant": g.bern(n, 0.15),
            "union_member": g.bern(n, 0.6),
            "labour_relation_start": g.dates(dt.date(2015, 1, 1), dt.date(2025, 10, 1), n),
            "lives_in_city": g.bern(n, 0.9),
            "work_injury_disabled": g.bern(n, 0.005),
            "major_illness": g.bern(n, 0.03),
            "school_stage": [
                s if c and x else None
                for c, x, s in zip(
                    child,
                    g.bern(n, 0.1),
                    g.choice(["undergraduate", "vocational_college", "senior_high", "secondary_vocational"], n),
                    strict=True,
                )
            ],
            "admission_year": g.choice([2024, 2025], n),
            "admission_kind": g.choice(["regular", "military", "commissioned"], n, [0.95, 0.03, 0.02]),
            "gig_form": [
                f if x else "none"
                for x, f in zip(g.bern(n, 0.08), g.choice(["rider", "courier", "ride_hailing"], n), strict=True)
            ],
            "mutual_aid_year": g.choice([2025, 2024], n, [0.4, 0.6]),
        }
    )
    m = n // 10
    events = pl.DataFrame(
        {
            "event_id": [str(i + id_offset) for i in range(m)],
            "person_id": pids.gather(g.ints(0, n, m)),
            "kind": g.choice(
                [
                    "medical_bill",
                    "inpatient_stay",
                    "sudden_event",
                    "skill_certificate",
                    "major_surgery",
                    "death_on_duty",
                ],
                m,
                [0.35, 0.3, 0.1, 0.15, 0.09, 0.01],
            ),
            "date": g.dates(dt.date(2024, 6, 1), dt.date(2025, 10, 30), m),
            "severity": g.choice([1, 2, 3], m),
            "cause": g.choice(["accident", "disaster", "major_illness"], m),
            "days": g.ints(1, 30, m),
            "amount": g.money(m, 3000),
        }
    )
    k = n // 20
    payments = pl.DataFrame(
        {
            "person_id": pids.gather(g.ints(0, n, k)),
            "policy_id": g.choice(
                ["warmth", "medical_aid", "emergency_relief", "inpatient_mutual_aid", "school_aid"], k
            ),
            "paid_on": g.dates(dt.date(2024, 6, 1), dt.date(2025, 10, 30), k),
            "amount": g.money(k, 1500),
        }
    )
    d = n // 5
    documents = pl.DataFrame(
        {
            "household_id": hids.gather(g.ints(0, h, d)),
            "kind": g.choice(["户口本", "收入证明", "病历", "录取通知书"], d),
        }
    )
    return {
        "households": households,
        "persons": persons,
        "events": events,
        "payments": payments,
        "documents": documents,
    }
