"""Solve the pairing: each district on its own (or all at once), exactly when small, sparsely when large.

Each cadre is replicated into `capacity` slots, so "k enterprises per cadre" is an ordinary assignment of
enterprises to slots. A part of at most `dense_max_cells` enterprise×slot cells is solved exactly with
`scipy.optimize.linear_sum_assignment`. A larger part is solved on a sparse candidate graph — every
enterprise's nearest cadres and every cadre's nearest enterprises (a k-d tree on the unit sphere) — with
`scipy.sparse.csgraph.min_weight_full_bipartite_matching`; a private high-cost dummy per vertex keeps the
matching feasible, and the few vertices left on a dummy are paired by an exact solve over what is free. Then,
while time allows, blocks of nearby enterprises are re-solved exactly with their slots (each block's own
assignment is feasible, so a block can only improve): the long moves the nearest-neighbour graph lacks.
Every step is one of SciPy's exact solvers; nothing here pairs greedily.

When some cadre may take more than one enterprise and there are fewer enterprises than slots, every
cadre's first slot carries a bonus larger than any one distance: no cadre is left idle while another has
two (as many cadres as possible get one enterprise), and among such pairings the distance is minimal.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from scipy.spatial import cKDTree

from niangjia.outreach.solver.geo import chord_to_km, distance_matrix, haversine_km, plane, unit_vectors
from niangjia.outreach.solver.problem import Floats, GroupReport, Ints, Problem, Solution

DENSE_MAX_CELLS = 9_000_000  # 3,000 × 3,000: ~72 MB of costs, a few seconds
NEIGHBOURS = 16
WINDOW = 1200
POLISH_SECONDS = 30.0
FORBIDDEN = 1e12  # a pair that must not be made; dropped if an exact solve is forced to use it


def solve(
    problem: Problem,
    *,
    dense_max_cells: int = DENSE_MAX_CELLS,
    neighbours: int = NEIGHBOURS,
    polish_seconds: float = POLISH_SECONDS,
) -> Solution:
    """Pair enterprises with cadres' slots at least total distance; see the module docstring.

    `polish_seconds` bounds the time the sparse parts spend re-solving blocks, all parts together.
    """
    started = time.perf_counter()
    cadre = np.full(problem.enterprises, -1, dtype=np.int64)
    distance = np.full(problem.enterprises, np.nan)
    reports = []
    left = problem.enterprises
    for group, rows, cadres in _parts(problem):
        part = _Part(problem, rows, cadres)
        # The polishing time is shared among the parts by their size.
        budget = max(0.0, started + polish_seconds - time.perf_counter()) * len(rows) / max(left, 1)
        left -= len(rows)
        report = part.solve(group, dense_max_cells=dense_max_cells, neighbours=neighbours, polish_seconds=budget)
        paired = part.assigned >= 0
        cadre[rows[paired]] = part.slot_cadre[part.assigned[paired]]
        distance[rows[paired]] = part.distances(np.flatnonzero(paired), part.assigned[paired])
        reports.append(report)
    return Solution(enterprise_cadre=cadre, distance_km=distance, groups=reports,
                    seconds=time.perf_counter() - started)  # fmt: skip


def round_robin(problem: Problem) -> tuple[Ints, Floats]:
    """The naive baseline: in each part, enterprises in index order dealt to cadres in turn.

    Returns (cadre of each enterprise or -1, distance of each pair or NaN); exclusions are ignored.
    """
    cadre = np.full(problem.enterprises, -1, dtype=np.int64)
    for _group, rows, cadres in _parts(problem):
        part = _Part(problem, rows, cadres)
        order = part.round_robin_slots()[: len(rows)]
        cadre[rows[: len(order)]] = part.slot_cadre[order]
    distance = np.full(problem.enterprises, np.nan)
    paired = cadre >= 0
    distance[paired] = haversine_km(
        problem.enterprise_lng[paired], problem.enterprise_lat[paired],
        problem.cadre_lng[cadre[paired]], problem.cadre_lat[cadre[paired]],
    )  # fmt: skip
    return cadre, distance


def _parts(problem: Problem) -> Iterator[tuple[int | None, Ints, Ints]]:
    """(group, enterprise indices, cadre indices with room) of each independent part."""
    able = np.flatnonzero(problem.cadre_capacity > 0)
    if problem.cross_group:
        yield None, np.arange(problem.enterprises, dtype=np.int64), able
        return
    groups = np.union1d(problem.enterprise_group, problem.cadre_group[able])
    for group in groups:
        rows = np.flatnonzero(problem.enterprise_group == group)
        yield int(group), rows, able[problem.cadre_group[able] == group]


class _Part:
    """One independent part: its enterprises (rows) and its cadres' slots (columns)."""

    def __init__(self, problem: Problem, rows: Ints, cadres: Ints) -> None:
        self.problem = problem
        self.rows = rows
        self.cadres = cadres
        caps = problem.cadre_capacity[cadres].astype(np.int64)
        self.slot_cadre = np.repeat(cadres, caps)
        self.slot_start = np.concatenate([[0], np.cumsum(caps)[:-1]]).astype(np.int64)
        self.slot_rank = np.arange(len(self.slot_cadre)) - np.repeat(self.slot_start, caps)
        self.caps = caps
        self.elng, self.elat = problem.enterprise_lng[rows], problem.enterprise_lat[rows]
        self.clng, self.clat = problem.cadre_lng[cadres], problem.cadre_lat[cadres]
        self.ex, self.cx = unit_vectors(self.elng, self.elat), unit_vectors(self.clng, self.clat)
        self.slot_local = np.repeat(np.arange(len(cadres)), caps)  # slot → index into `cadres`
        self.assigned = np.full(len(rows), -1, dtype=np.int64)  # row → slot
        self.bonus = self._bonus()
        self.forbidden = self._forbidden_keys()

    @property
    def m(self) -> int:
        return len(self.rows)

    @property
    def s(self) -> int:
        return len(self.slot_cadre)

    def _bonus(self) -> float:
        if self.s <= self.m or not (self.caps > 1).any():
            return 0.0
        lng = np.concatenate([self.elng, self.clng])
        lat = np.concatenate([self.elat, self.clat])
        # Moving one enterprise from a cadre with two to an idle cadre changes the distance by less than
        # the diameter: a larger bonus makes "an idle cadre while another has two" never optimal.
        return float(haversine_km(lng.min(), lat.min(), lng.max(), lat.max())) + 1.0

    def _forbidden_keys(self) -> Ints:
        pairs = self.problem.forbidden
        if not len(pairs):
            return np.zeros(0, dtype=np.int64)
        mine = np.isin(pairs[:, 0], self.rows) & np.isin(pairs[:, 1], self.cadres)
        return np.unique(pairs[mine, 0] * self.problem.cadres + pairs[mine, 1])

    # Costs

    def distances(self, rows: Ints, slots: Ints) -> Floats:
        """Distance of each (local row, slot) pair."""
        cad = self.slot_cadre[slots]
        return haversine_km(self.elng[rows], self.elat[rows], self.problem.cadre_lng[cad], self.problem.cadre_lat[cad])

    def matrix(self, rows: Ints, slots: Ints) -> tuple[Floats, Floats]:
        """(cost, distance) matrices of local rows × slots; forbidden pairs cost FORBIDDEN."""
        unique, inverse = np.unique(self.slot_local[slots], return_inverse=True)
        near = distance_matrix(self.ex[rows], self.cx[unique])
        dist = near if len(unique) == len(slots) and (inverse == np.arange(len(slots))).all() else near[:, inverse]
        cost = dist - self.bonus * (self.slot_rank[slots] == 0)[None, :] if self.bonus else dist.copy()
        if len(self.forbidden):
            keys = self.rows[rows][:, None] * self.problem.cadres + self.slot_cadre[slots][None, :]
            cost[np.isin(keys, self.forbidden)] = FORBIDDEN
        return cost, dist

    def _exact(self, rows: Ints, slots: Ints) -> None:
        """Assign `rows` to `slots` optimally (both local index arrays); forbidden pairs are left out."""
        if not len(rows) or not len(slots):
            return
        cost, _ = self.matrix(rows, slots)
        r, c = linear_sum_assignment(cost)
        keep = cost[r, c] < FORBIDDEN / 2
        self.assigned[rows] = -1
        self.assigned[rows[r[keep]]] = slots[c[keep]]

    # Solving

    def solve(self, group: int | None, *, dense_max_cells: int, neighbours: int, polish_seconds: float) -> GroupReport:
        started = time.perf_counter()
        dense = self.m * self.s <= dense_max_cells
        if self.m and self.s:
            if dense:
                self._exact(np.arange(self.m), np.arange(self.s))
            elif group is None and len(np.unique(self.problem.enterprise_group[self.rows])) > 1:
                self._by_districts(dense_max_cells, neighbours)
                self._polish(deadline=started + polish_seconds)
            else:
                self._sparse(neighbours)
                self._polish(deadline=started + polish_seconds)
        paired = np.flatnonzero(self.assigned >= 0)
        total = float(self.distances(paired, self.assigned[paired]).sum())
        bound = self.lower_bound()
        baseline = self.round_robin_slots()[: self.m]
        base_total = float(self.distances(np.arange(len(baseline)), baseline).sum())
        return GroupReport(
            group=group, cadres=len(self.cadres), slots=self.s, enterprises=self.m, paired=len(paired),
            total_km=total, lower_bound_km=bound, baseline_paired=len(baseline), baseline_total_km=base_total,
            method="dense" if dense else "sparse", optimal=dense or total <= bound + 1e-9,
            seconds=time.perf_counter() - started,
        )  # fmt: skip

    def _by_districts(self, dense_max_cells: int, neighbours: int) -> None:
        """Pairs may cross districts, and the part is large: pair each district alone first (exactly or
        sparsely), then what is left over across districts, exactly; the polish then works across borders.

        The sparse matching over the whole city would need long augmenting paths to carry each district's
        surplus to its neighbours, which takes SciPy minutes at 20,000 × 20,000.
        """
        egroup = self.problem.enterprise_group[self.rows]
        cgroup = self.problem.cadre_group[self.cadres]
        position = np.full(self.problem.cadres, -1, dtype=np.int64)
        position[self.cadres] = np.arange(len(self.cadres))
        for group in np.unique(egroup):
            mine = np.flatnonzero(egroup == group)
            sub = _Part(self.problem, self.rows[mine], self.cadres[cgroup == group])
            if not sub.m or not sub.s:
                continue
            if sub.m * sub.s <= dense_max_cells:
                sub._exact(np.arange(sub.m), np.arange(sub.s))
            else:
                sub._sparse(neighbours)
            ok = sub.assigned >= 0
            slots = sub.assigned[ok]
            self.assigned[mine[ok]] = self.slot_start[position[sub.slot_cadre[slots]]] + sub.slot_rank[slots]
        self._repair()

    def _sparse(self, neighbours: int) -> None:
        """Min-weight full matching on the nearest-neighbour candidate graph, dummies for feasibility."""
        rows, slots = self._candidates(self.ex, self.cx, neighbours)
        dist = self.distances(rows, slots)
        offset = self.bonus + 1.0  # weights stay positive (an explicit zero is no edge)
        weight = dist + offset - self.bonus * (self.slot_rank[slots] == 0)
        penalty = (float(dist.max(initial=0.0)) + offset) * (min(self.m, self.s) + 1)
        small = min(self.m, self.s)
        dummies = np.arange(small)
        if self.m <= self.s:  # every row gets a dummy column of its own
            r = np.concatenate([rows, dummies])
            c = np.concatenate([slots, self.s + dummies])
            shape = (self.m, self.s + small)
        else:  # every slot gets a dummy row of its own
            r = np.concatenate([rows, self.m + dummies])
            c = np.concatenate([slots, dummies])
            shape = (self.m + small, self.s)
        values = np.concatenate([weight, np.full(small, penalty)])
        graph = csr_matrix((values, (r, c)), shape=shape)
        matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
        real = (matched_rows < self.m) & (matched_cols < self.s)
        self.assigned[matched_rows[real]] = matched_cols[real]
        self._repair()

    def _candidates(self, ex: Floats, cx: Floats, neighbours: int) -> tuple[Ints, Ints]:
        """Candidate (row, slot) edges: each row to every slot of its nearest cadres, each cadre's
        slots to its nearest rows; forbidden pairs removed, duplicates merged."""
        k = min(neighbours, len(self.cadres))
        _, near = cKDTree(cx).query(ex, k=k)
        near = np.asarray(near).reshape(self.m, k)
        rows = np.repeat(np.arange(self.m), k)
        cad = near.ravel()
        counts = self.caps[cad]
        row_edges = np.repeat(rows, counts)
        firsts = np.repeat(self.slot_start[cad], counts)
        slot_edges = firsts + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
        kr = min(self.m, neighbours * int(self.caps.max()))
        _, back = cKDTree(ex).query(cx, k=kr)
        back = np.asarray(back).reshape(len(self.cadres), kr)
        rank = np.arange(kr)[None, :] % self.caps[:, None]
        back_slots = (self.slot_start[:, None] + rank).ravel()
        rows_all = np.concatenate([row_edges, back.ravel()])
        slots_all = np.concatenate([slot_edges, back_slots])
        keys = np.unique(rows_all * self.s + slots_all)
        rows_all, slots_all = keys // self.s, keys % self.s
        if len(self.forbidden):
            pair_keys = self.rows[rows_all] * self.problem.cadres + self.slot_cadre[slots_all]
            allowed = ~np.isin(pair_keys, self.forbidden)
            rows_all, slots_all = rows_all[allowed], slots_all[allowed]
        return rows_all, slots_all

    def _repair(self) -> None:
        """Pair what the candidate graph left on dummies, exactly, with what is still free near it."""
        used = np.zeros(self.s, dtype=bool)
        used[self.assigned[self.assigned >= 0]] = True
        left_rows = np.flatnonzero(self.assigned < 0)
        free = np.flatnonzero(~used)
        want = min(self.m, self.s) - int(used.sum())
        if want <= 0 or not len(left_rows) or not len(free):
            return
        if self.m <= self.s:
            pick = self._nearest(free, around=left_rows, rows_are_points=False)
            self._exact(left_rows, pick)
        else:
            pick = self._nearest(left_rows, around=free, rows_are_points=True)
            self._exact(pick, free)

    def _nearest(self, candidates: Ints, *, around: Ints, rows_are_points: bool, per: int = 32) -> Ints:
        """The candidates (slots, or rows when `rows_are_points`) among the `per` nearest of any of `around`."""
        if len(candidates) * len(around) <= DENSE_MAX_CELLS:
            return candidates
        if rows_are_points:
            points = unit_vectors(self.elng[candidates], self.elat[candidates])
            centres = unit_vectors(self.problem.cadre_lng[self.slot_cadre[around]],
                                   self.problem.cadre_lat[self.slot_cadre[around]])  # fmt: skip
        else:
            cad = self.slot_cadre[candidates]
            points = unit_vectors(self.problem.cadre_lng[cad], self.problem.cadre_lat[cad])
            centres = unit_vectors(self.elng[around], self.elat[around])
        _, idx = cKDTree(points).query(centres, k=min(per, len(candidates)))
        picked: Ints = candidates[np.unique(np.asarray(idx).ravel())]
        return picked

    def _polish(self, *, deadline: float) -> None:
        """Re-solve blocks of nearby rows exactly with their slots (and free slots among them) until no
        round improves by 0.01 % or the time is up; each round cuts the plane along rotated axes."""
        both = plane(np.concatenate([self.elng, self.problem.cadre_lng[self.slot_cadre]]),
                     np.concatenate([self.elat, self.problem.cadre_lat[self.slot_cadre]]))  # fmt: skip
        flat, slot_flat = both[: self.m], both[self.m :]
        before = self._objective()
        for turn in range(64):
            angle = turn * 0.7
            spin = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
            turned, slot_turned = flat @ spin, slot_flat @ spin
            for block in _blocks(np.arange(self.m), turned, WINDOW, turn % 2):
                if time.perf_counter() > deadline:
                    return
                self._resolve_block(block, turned, slot_turned)
            after = self._objective()
            if before - after <= 1e-4 * abs(before):
                return
            before = after

    def _resolve_block(self, block: Ints, turned: Floats, slot_turned: Floats) -> None:
        mine = self.assigned[block]
        slots = mine[mine >= 0]
        if self.s > self.m:  # free slots inside the block's box may serve it better
            used = np.zeros(self.s, dtype=bool)
            used[self.assigned[self.assigned >= 0]] = True
            free = np.flatnonzero(~used)
            low, high = turned[block].min(axis=0), turned[block].max(axis=0)
            inside = free[((slot_turned[free] >= low) & (slot_turned[free] <= high)).all(axis=1)]
            slots = np.concatenate([slots, inside[:WINDOW]])
        self._exact(block, slots)

    def _objective(self) -> float:
        paired = np.flatnonzero(self.assigned >= 0)
        slots = self.assigned[paired]
        dist = self.distances(paired, slots)
        return float(dist.sum() - self.bonus * (self.slot_rank[slots] == 0).sum())

    # Bounds and the baseline

    def lower_bound(self) -> float:
        """No assignment of this part can cost less (distance only, exclusions ignored).

        Each paired enterprise costs at least its nearest cadre; when every slot must be filled, each
        cadre's j-th slot costs at least its j-th nearest enterprise. The larger of the two that apply.
        """
        if not self.m or not self.s:
            return 0.0
        ex, cx = self.ex, self.cx
        nearest = chord_to_km(np.asarray(cKDTree(cx).query(ex, k=1)[0]).ravel())
        bound = float(np.sort(nearest)[: min(self.m, self.s)].sum())
        if self.m >= self.s:
            k = int(min(self.caps.max(), self.m))
            dist = chord_to_km(np.asarray(cKDTree(ex).query(cx, k=k)[0]).reshape(len(self.cadres), k))
            filled = np.arange(k)[None, :] < self.caps[:, None]
            bound = max(bound, float(dist[filled].sum()))
        return bound * (1 - 1e-12)

    def round_robin_slots(self) -> Ints:
        """Slots in the order a naive dealer hands enterprises out: every cadre once, then again."""
        return np.asarray(np.lexsort((self.slot_cadre, self.slot_rank)), dtype=np.int64)


def _blocks(idx: Ints, points: Floats, size: int, axis: int) -> list[Ints]:
    """Cut `idx` into blocks of at most `size` by alternate median splits of `points`."""
    if len(idx) <= size:
        return [idx]
    order = np.argsort(points[idx, axis], kind="stable")
    half = len(idx) // 2
    return _blocks(idx[order[:half]], points, size, 1 - axis) + _blocks(idx[order[half:]], points, size, 1 - axis)
