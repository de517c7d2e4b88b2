"""The registry's tables made ready for the Polars backend: typed once, keyed by dense integers.

Each call types the five tables once (only the columns some policy reads, of the big two),
numbers households (``__h``) and persons (``__p``), links events, payments and documents to
them with one probe of the persons table, and attaches every parameter per region — a
parameter with one value for the whole registry as a literal. :mod:`.evaluate` then joins and
groups on integers only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from niangjia.rules.policy.parameters import param_frame
from niangjia.rules.policy.plan import Plan
from niangjia.rules.results import H, P, Tables
from niangjia.rules.tables.schema import TABLES, normalize_table, require_known_tables


def _collect(frames: Sequence[pl.LazyFrame], small: bool) -> list[pl.DataFrame]:
    # collect_all runs plans in parallel: worth it for a registry, pure overhead for one household.
    return [f.collect() for f in frames] if small else pl.collect_all(frames)


# Columns the engine itself needs whatever the policies read: ids, parameters, heads of household.
_KEYS = {"household_id", "person_id", "region_code", "relation", "archive_level"}


def _link(frame: pl.DataFrame, link: pl.LazyFrame, ids: pl.LazyFrame | None) -> pl.LazyFrame:
    """Give related rows their person (``__p``) and household (``__h``) keys, and the household
    id of their person where they name none.

    A column that is empty in the whole table (events recorded against persons only, documents
    against households only) is not joined on: half the joins of a typical extract. Without
    ``ids`` the rows get no household key (documents: matched by household id where read).
    """
    lf = frame.lazy()
    by_person = frame["person_id"].null_count() < frame.height
    by_household = ids is not None and frame["household_id"].null_count() < frame.height
    if by_person:
        lf = lf.join(link, on="person_id", how="left")
    else:
        lf = lf.with_columns(pl.lit(None, pl.UInt32).alias(P), pl.lit(None, pl.UInt32).alias("__ph"))
        lf = lf.with_columns(pl.lit(None, pl.String).alias("__phs"))
    if ids is None:
        return lf.with_columns(pl.coalesce("household_id", "__phs").alias("household_id")).drop("__ph", "__phs")
    if by_household:
        lf = lf.join(ids, on="household_id", how="left")
    else:
        lf = lf.with_columns(pl.lit(None, pl.UInt32).alias("__oh"))
    lf = lf.with_columns(
        pl.when(pl.col("household_id").is_null()).then(pl.col("__ph")).otherwise(pl.col("__oh")).alias(H),
        pl.coalesce("household_id", "__phs").alias("household_id"),
    ).drop("__oh", "__ph", "__phs")
    return lf


def prepare(tables: Tables, plans: Sequence[Plan], as_of: dt.date, *, small: bool) -> dict[str, pl.LazyFrame]:
    """Normalise the tables once, key them by integers and attach every parameter per region.

    Events, payments and documents recorded against a person get that person's household, so
    household policies see them; events get ``settled`` (a payment references them). ``small``:
    a few households held in memory, collected plan by plan instead of in parallel.
    """
    require_known_tables(tables)
    frames = {name: normalize_table(name, tables.get(name)) for name in TABLES}
    for name in ("households", "persons"):  # the big tables: read only the columns some plan reads
        read = {f.split(".", 1)[1] for plan in plans for f in plan.fields if f.startswith(f"{name}.")}
        frames[name] = frames[name].select([c for c in TABLES[name] if c in read or c in _KEYS])
    hh = frames["households"].with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias(H))
    related = {name: frames[name] for name in ("events", "payments", "documents")}
    # Only the people the related rows name: one probe of the persons table instead of three.
    named = pl.concat([f.select("person_id") for f in related.values()]).drop_nulls().unique()
    hh_done, persons_done, named_done, *raw = _collect([hh, frames["persons"], named, *related.values()], small)
    persons_done = _by_household(persons_done, hh_done)
    link = (
        persons_done.lazy()
        .select("person_id", P, pl.col(H).alias("__ph"), pl.col("household_id").alias("__phs"))
        .join(named_done.lazy(), on="person_id", how="semi")
    )
    ids = hh_done.lazy().select("household_id", pl.col(H).alias("__oh"))
    loaded = dict(zip(related, raw, strict=True))
    # Documents are read for the eligible and possibly rows only, a few thousand: they are matched
    # to them by household id there (related._documents), not keyed here for the whole registry.
    linked = {name: _link(frame, link, None if name == "documents" else ids) for name, frame in loaded.items()}
    settled = (
        loaded["payments"].lazy().select("event_id").drop_nulls().unique().with_columns(pl.lit(True).alias("settled"))
    )
    linked["events"] = (
        linked["events"].join(settled, on="event_id", how="left").with_columns(pl.col("settled").fill_null(False))
    )
    done = _collect(list(linked.values()), small)
    params = {p.name: p for plan in plans for p in plan.policy.parameters.values()}
    regions = hh_done["region_code"].unique().to_list()
    pf = param_frame(params.values(), regions, as_of)
    constants = _constants(pf, hh_done)
    varying = [c for c in pf.columns if c not in constants.columns]
    if len(varying) > 1:
        hh_done = hh_done.join(pf.select(varying), on="region_code", how="left", maintain_order="left")
    hh_lazy = hh_done.lazy().with_columns(
        pl.lit(constants[c][0], constants[c].dtype).alias(c) for c in constants.columns
    )
    out = {"hh": hh_lazy, "persons": persons_done.lazy(), "constants": constants.lazy()}
    out |= {name: d.lazy() for name, d in zip(related, done, strict=True)}
    # A person row sees its household's columns; joined lazily, so only the columns read are built.
    out["person_base"] = out["persons"].join(out["hh"].drop("household_id"), on=H, how="left")
    return out


def _constants(pf: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """The parameters with one value for every household (city-wide ones, typically): one row.

    Such a parameter is a literal, not a column to join; a household without a region has no
    parameters (unknown), so then none is constant.
    """
    if households["region_code"].null_count() or not pf.height:
        return pl.DataFrame()
    same = [c for c in pf.columns[1:] if pf[c].null_count() == 0 and pf[c].n_unique() == 1]
    return pf.select(same).head(1)


def _by_household(persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Members with their household's key ``__h``, grouped by household and flagged sorted, and
    their own keys ``__p`` in that order.

    Every per-household aggregation over members then groups sorted keys instead of hashing a
    million people. Registers list a household's members together and in the households' order:
    then a member's household is simply the number of its run, found without a join. Otherwise
    the households are joined and the members stably sorted (input order kept within one).
    """
    ids = persons["household_id"]
    runs = ids.rle().struct.field("value")
    if runs.len() == households.height and runs.equals(households["household_id"]):
        persons = persons.with_columns(ids.rle_id().cast(pl.UInt32).set_sorted().alias(H))
    else:
        keys = households.lazy().select("household_id", H)
        persons = persons.lazy().join(keys, on="household_id", how="left", maintain_order="left").collect()
        if persons[H].is_sorted(nulls_last=False):
            persons = persons.with_columns(persons[H].set_sorted())
        else:
            persons = persons.sort(H, maintain_order=True, nulls_last=False)
    return persons.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias(P))
