"""One (or a few) households' rows, typed and linked for the Python backend.

The scalar twin of :func:`niangjia.rules.backends.polars.prepare.prepare`: rows are dicts,
households and persons get the same integer keys (``__h``, ``__p``), a person row carries its
household's columns and parameters, events, payments and documents are linked to their person
and household, and events get ``settled``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from niangjia.rules.language.typed import Row
from niangjia.rules.policy.parameters import cell_value, column_name, resolve
from niangjia.rules.policy.plan import Plan
from niangjia.rules.results import H, P
from niangjia.rules.tables.rows import table_rows
from niangjia.rules.tables.schema import TABLES, require_known_tables


@dataclass
class Household:
    """Typed rows of one (or a few) households, keyed like the bulk path's integer ids."""

    households: list[Row]
    persons: list[Row]  # person_base: the person's columns, then its household's and parameters
    related: dict[str, list[Row]]
    groups: dict[tuple[str, str], dict[int, list[Row]]] = field(default_factory=dict)
    members: dict[int, dict[bool, dict[int, list[Row]]]] = field(default_factory=dict)  # per plan

    def group(self, relation: str, key: str) -> dict[int, list[Row]]:
        """Rows of ``relation`` by household (``__h``) or person (``__p``)."""
        if (relation, key) not in self.groups:
            out: dict[int, list[Row]] = {}
            rows = self.related[relation]
            if relation == "documents" and key == P:
                # A document filed for the whole household (no person) is on file for each member.
                by_h: dict[int, list[Row]] = {}
                for p in self.persons:
                    if p[H] is not None:
                        by_h.setdefault(p[H], []).append(p)
                shared = []
                for r in rows:
                    if r[P] is not None:
                        out.setdefault(r[P], []).append(r)
                    elif r["person_id"] is None and r[H] is not None:
                        shared.append(r)
                for r in shared:
                    for p in by_h.get(r[H], ()):
                        out.setdefault(p[P], []).append({**r, P: p[P]})
            else:
                for r in rows:
                    k = r[key]
                    if k is not None:
                        out.setdefault(k, []).append(r)
            self.groups[(relation, key)] = out
        return self.groups[(relation, key)]


_PARAM_CACHES: dict[tuple[Any, ...], dict[Any, Row]] = {}


def _param_cache(plans: Sequence[Plan]) -> dict[Any, Row]:
    """Resolved parameters per region, shared by every call on the same policies and date."""
    key = (plans[0].as_of, *((p.policy.path, p.policy.parameters_hash) for p in plans))
    cache = _PARAM_CACHES.get(key)
    if cache is None:
        if len(_PARAM_CACHES) > 64:
            _PARAM_CACHES.clear()
        cache = _PARAM_CACHES[key] = {}
    return cache


def _params(plans: Sequence[Plan], region: str | None, as_of: dt.date, cache: dict[Any, Row]) -> Row:
    if region in cache:
        return cache[region]
    out: Row = {}
    params = {p.name: p for plan in plans for p in plan.policy.parameters.values()}
    for p in params.values():
        value = resolve(p, region, as_of) if region else None
        for key in p.keys or (None,):
            v: Any = value.get(key) if isinstance(value, Mapping) and key is not None else value
            out[column_name(p.name, key)] = None if v is None else cell_value(v, p.unit)
    cache[region] = out
    return out


def household_rows(tables: Mapping[str, pl.DataFrame | pl.LazyFrame | None], plans: Sequence[Plan]) -> Household:
    """Type the rows and link them: the scalar twin of :func:`~niangjia.rules.backends.polars.prepare.prepare`."""
    require_known_tables(tables)
    return link_rows({name: table_rows(name, tables.get(name)) for name in TABLES}, plans)


def link_rows(rows: Mapping[str, list[Row]], plans: Sequence[Plan]) -> Household:
    """Link typed rows (:func:`~niangjia.rules.tables.rows.table_rows` or ``record_rows``) like ``prepare``."""
    as_of = plans[0].as_of
    hh = rows["households"]
    h_of: dict[Any, int] = {}
    cache = _param_cache(plans)
    for i, r in enumerate(hh):
        r[H] = i
        h_of.setdefault(r["household_id"], i)
        r.update(_params(plans, r["region_code"], as_of, cache))
    no_household: Row = {}  # a person whose household is not in the table: its columns are unknown
    link: dict[Any, tuple[int, int | None, Any]] = {}
    base = []
    for j, r in enumerate(rows["persons"]):
        hid = r["household_id"]
        h = h_of.get(hid) if hid is not None else None
        own = hh[h] if h is not None else no_household
        b = {**own, **r, H: h, P: j}
        b["household_id"] = hid
        base.append(b)
        if r["person_id"] is not None:
            link.setdefault(r["person_id"], (j, h, hid))
    paid_events = {r["event_id"] for r in rows["payments"] if r["event_id"] is not None}
    related = {}
    for name in ("events", "payments", "documents"):
        out = []
        for r in rows[name]:
            pid, hid = r["person_id"], r["household_id"]
            p, ph, phs = link.get(pid, (None, None, None)) if pid is not None else (None, None, None)
            r[P] = p
            r[H] = ph if hid is None else h_of.get(hid)
            if hid is None:
                r["household_id"] = phs
            if name == "events":
                r["settled"] = r["event_id"] is not None and r["event_id"] in paid_events
            out.append(r)
        related[name] = out
    return Household(hh, base, related)
