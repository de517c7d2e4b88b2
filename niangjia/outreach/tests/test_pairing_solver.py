"""The solver against brute force on small cases, and its constraints: districts, capacity k, exclusions.

The sparse path (forced with dense_max_cells=0) is checked too: on a small case its blocks cover the whole
part, so it must find the optimum as well.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from niangjia.outreach.solver import Problem, haversine_km, round_robin, solve

CENTRE = (108.95, 34.27)


def _problem(rng: np.random.Generator, n: int, m: int, *, groups: int = 1, cap: int = 1, **kw: object) -> Problem:
    spread = 0.2
    return Problem(
        cadre_lng=CENTRE[0] + rng.random(n) * spread,
        cadre_lat=CENTRE[1] + rng.random(n) * spread,
        cadre_capacity=np.full(n, cap, dtype=np.int64),
        cadre_group=rng.integers(0, groups, n).astype(np.int64),
        enterprise_lng=CENTRE[0] + rng.random(m) * spread,
        enterprise_lat=CENTRE[1] + rng.random(m) * spread,
        enterprise_group=rng.integers(0, groups, m).astype(np.int64),
        **kw,  # type: ignore[arg-type]
    )


def _km(p: Problem, e: int, c: int) -> float:
    return float(haversine_km(p.enterprise_lng[e], p.enterprise_lat[e], p.cadre_lng[c], p.cadre_lat[c]))


def _allowed(p: Problem, e: int, c: int) -> bool:
    forbidden = {tuple(pair) for pair in p.forbidden.tolist()}
    same = p.cross_group or p.enterprise_group[e] == p.cadre_group[c]
    return bool(same) and (e, c) not in forbidden


def _brute(p: Problem) -> tuple[int, float]:
    """(most pairs, least total km among those) over every assignment of enterprises to cadres' capacity,
    with no cadre idle while another has two."""
    best = (0, 0.0)
    options = [[c for c in range(p.cadres) if _allowed(p, e, c)] + [-1] for e in range(p.enterprises)]
    for choice in itertools.product(*options):
        counts = np.bincount([c for c in choice if c >= 0], minlength=p.cadres)
        if (counts > p.cadre_capacity).any() or (counts.max(initial=0) > 1 and (counts == 0).any()):
            continue
        pairs = sum(1 for c in choice if c >= 0)
        total = sum(_km(p, e, c) for e, c in enumerate(choice) if c >= 0)
        if pairs > best[0] or (pairs == best[0] and total < best[1] - 1e-9):
            best = (pairs, total)
    return best


def _check(p: Problem, dense_max_cells: int) -> None:
    found = solve(p, dense_max_cells=dense_max_cells)
    pairs, total = _brute(p)
    assert found.paired == pairs
    assert found.total_km == pytest.approx(total, abs=1e-6)
    counts = np.bincount(found.enterprise_cadre[found.enterprise_cadre >= 0], minlength=p.cadres)
    assert (counts <= p.cadre_capacity).all()
    for e, c in enumerate(found.enterprise_cadre.tolist()):
        if c >= 0:
            assert _allowed(p, e, c)
            assert found.distance_km[e] == pytest.approx(_km(p, e, c))
    assert found.lower_bound_km <= found.total_km + 1e-9


@pytest.mark.parametrize("dense_max_cells", [10**9, 0], ids=["dense", "sparse"])
@pytest.mark.parametrize("seed", range(6))
def test_small_cases_are_solved_optimally(seed: int, dense_max_cells: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = [(4, 4), (3, 5), (5, 3), (4, 5), (2, 4), (5, 5)][seed]
    _check(_problem(rng, n, m), dense_max_cells)


@pytest.mark.parametrize("dense_max_cells", [10**9, 0], ids=["dense", "sparse"])
@pytest.mark.parametrize("seed", range(4))
def test_districts_keep_pairs_apart_unless_crossing_is_allowed(seed: int, dense_max_cells: int) -> None:
    rng = np.random.default_rng(100 + seed)
    apart = _problem(rng, 4, 5, groups=2)
    _check(apart, dense_max_cells)
    found = solve(apart, dense_max_cells=dense_max_cells)
    paired = found.enterprise_cadre >= 0
    assert (apart.enterprise_group[paired] == apart.cadre_group[found.enterprise_cadre[paired]]).all()
    crossing = Problem(**{**apart.__dict__, "cross_group": True})
    _check(crossing, dense_max_cells)
    crossed = solve(crossing)
    assert crossed.paired >= found.paired
    if crossed.paired == found.paired:
        assert crossed.total_km <= found.total_km + 1e-9


@pytest.mark.parametrize("dense_max_cells", [10**9, 0], ids=["dense", "sparse"])
@pytest.mark.parametrize("seed", range(4))
def test_k_per_cadre_and_no_idle_cadre_while_another_has_two(seed: int, dense_max_cells: int) -> None:
    rng = np.random.default_rng(200 + seed)
    p = _problem(rng, 3, [4, 5, 2, 6][seed], cap=2)
    _check(p, dense_max_cells)
    counts = np.bincount(solve(p).enterprise_cadre[solve(p).enterprise_cadre >= 0], minlength=3)
    assert counts.max() <= 2 and (counts.min() >= 1 or counts.max() <= 1)


@pytest.mark.parametrize("dense_max_cells", [10**9, 0], ids=["dense", "sparse"])
def test_exclusions_are_honoured(dense_max_cells: int) -> None:
    rng = np.random.default_rng(7)
    free = _problem(rng, 4, 4)
    first = solve(free)
    made = [(e, c) for e, c in enumerate(first.enterprise_cadre.tolist()) if c >= 0]
    forbidden = np.array(made[:2], dtype=np.int64)
    p = Problem(**{**free.__dict__, "forbidden": forbidden})
    _check(p, dense_max_cells)
    found = solve(p, dense_max_cells=dense_max_cells)
    assert not {(e, c) for e, c in enumerate(found.enterprise_cadre.tolist())} & {tuple(x) for x in made[:2]}
    assert found.total_km > first.total_km


def test_a_cadre_without_room_takes_nothing() -> None:
    p = _problem(np.random.default_rng(3), 3, 3)
    full = Problem(**{**p.__dict__, "cadre_capacity": np.array([0, 1, 1], dtype=np.int64)})
    found = solve(full)
    assert found.paired == 2 and 0 not in found.enterprise_cadre.tolist()


def test_round_robin_deals_enterprises_to_cadres_in_turn_within_each_district() -> None:
    p = Problem(
        cadre_lng=np.array([109.0, 109.1, 108.9]), cadre_lat=np.array([34.0, 34.0, 34.0]),
        cadre_capacity=np.array([2, 2, 2]), cadre_group=np.array([0, 0, 1]),
        enterprise_lng=np.array([109.0, 109.0, 109.0, 108.9, 109.0]), enterprise_lat=np.full(5, 34.1),
        enterprise_group=np.array([0, 0, 0, 1, 0]),
    )  # fmt: skip
    cadre, distance = round_robin(p)
    assert cadre.tolist() == [0, 1, 0, 2, 1]
    assert distance[3] == pytest.approx(_km(p, 3, 2))


def test_the_solution_reports_the_baseline_and_a_valid_lower_bound() -> None:
    p = _problem(np.random.default_rng(11), 30, 30, groups=2)
    found = solve(p)
    _, baseline = round_robin(p)
    assert found.baseline_total_km == pytest.approx(float(np.nansum(baseline)))
    assert found.optimal and found.method == "dense"
    assert 0 < found.lower_bound_km <= found.total_km <= found.baseline_total_km
    assert found.gap == pytest.approx((found.total_km - found.lower_bound_km) / found.lower_bound_km)
    assert found.mean_km == pytest.approx(found.total_km / found.paired)
    assert math.isclose(sum(g.total_km for g in found.groups), found.total_km)


def test_a_large_part_is_solved_sparsely_close_to_the_exact_optimum() -> None:
    p = _problem(np.random.default_rng(5), 700, 700)
    exact = solve(p)
    sparse = solve(p, dense_max_cells=0, neighbours=4)
    assert sparse.method == "sparse" and not sparse.optimal and sparse.paired == 700
    assert exact.total_km <= sparse.total_km <= exact.total_km * 1.01
    assert sorted(sparse.enterprise_cadre.tolist()) == list(range(700))
