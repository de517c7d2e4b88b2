"""Native mode: the five rules, history windows included, are OpenFisca formulas (``openfisca_xian``).

Loading only maps rows to input variables; it never aggregates against as_of or a rule's window:

- household and person facts → ETERNITY inputs (``archive_level``, ``last_review_date``,
  ``work_injury_disabled``, ``gig_form``, ``union_member``, ``mutual_aid_year``);
- every event and payment → a DAY input on its person, on the day it happened (``DAILY`` below):
  a flag, or the row's severity / stay days / cost / amount. Several rows of one kind for one
  person on one day are combined as the variable reads naturally: flags with "any", stay days
  and paid amounts summed, severity and certificate cost by the largest (the rules read the most
  severe event and the costliest certificate). Consequence: two inpatient stays of one person
  admitted the same day count as one stay of their combined length;
- all rows are loaded, whatever their date: rows after as_of stay in the data and the windows
  (formulas ending on the as-of day) do not read them. Rows whose date, or whose value (severity,
  days, cost, amount), is null are skipped: OpenFisca has no missing value, the input keeps its
  default (0 / False) where niangjia would say "possibly". The synthetic registry has none.

Bulk: one simulation over every household (``SimulationBuilder`` declarations); for each DAY
input and each day that has rows, a zeroed persons-long array with the rows scattered in (numpy)
and one ``set_input``. OpenFisca stores one dense array per variable and day: the address space
is persons × days per variable (``dense_bytes`` estimates it before anything is allocated),
although pages that no row touched are never backed by physical memory.

Single household: an OpenFisca situation dict (the JSON test / web-API format, period-keyed
values) built from that household's rows, then ``SimulationBuilder().build_from_entities``.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import Period
from openfisca_core.simulations import Simulation, SimulationBuilder
from openfisca_xian import XianTaxBenefitSystem
from openfisca_xian.entities import declare


@dataclass(frozen=True)
class Daily:
    """A DAY input fed by the rows of ``table`` whose kind (events.kind / payments.policy_id) is ``kind``."""

    variable: str
    table: str
    kind: str
    value: str | None  # the row's column holding the value; None: the variable is a flag
    combine: str  # several rows on one person-day: "any", "sum" or "max"


DAILY = [
    Daily("death_on_duty", "events", "death_on_duty", None, "any"),
    Daily("major_surgery", "events", "major_surgery", None, "any"),
    Daily("sudden_event_severity", "events", "sudden_event", "severity", "max"),
    Daily("inpatient_stay_days", "events", "inpatient_stay", "days", "sum"),
    Daily("skill_certificate", "events", "skill_certificate", None, "any"),
    Daily("skill_certificate_cost", "events", "skill_certificate", "amount", "max"),
    Daily("warmth_paid", "payments", "warmth", None, "any"),
    Daily("emergency_relief_paid", "payments", "emergency_relief", None, "any"),
    Daily("inpatient_mutual_aid_paid", "payments", "inpatient_mutual_aid", "amount", "sum"),
    Daily("gig_training_subsidy_paid", "payments", "gig_training_subsidy", None, "any"),
]
BY_KIND: dict[tuple[str, str], list[Daily]] = {}
for _spec in DAILY:
    BY_KIND.setdefault((_spec.table, _spec.kind), []).append(_spec)
KIND = {"events": "kind", "payments": "policy_id"}
DATE = {"events": "date", "payments": "paid_on"}
HOUSEHOLD_FACTS = ["archive_level", "last_review_date"]
PERSON_FACTS = ["work_injury_disabled", "gig_form", "union_member", "mutual_aid_year"]

# policy id → (entity, eligibility variable, amount variable)
POLICIES = {
    "archive_review": ("household", "archive_review_due", None),
    "warmth": ("household", "warmth_eligible", "warmth"),
    "emergency_relief": ("household", "emergency_relief_eligible", "emergency_relief"),
    "inpatient_mutual_aid": ("person", "inpatient_mutual_aid_eligible", "inpatient_mutual_aid"),
    "gig_training_subsidy": ("person", "gig_training_subsidy_eligible", "gig_training_subsidy"),
}

COMBINE: dict[str, Callable[[Any, Any], Any]] = {"any": operator.or_, "sum": operator.add, "max": max}


def build_system() -> XianTaxBenefitSystem:
    return XianTaxBenefitSystem()


def _day(epoch_day: int) -> Period:
    return periods.period(str(np.datetime64(epoch_day, "D")))


def _daily_rows(tables: dict[str, pl.DataFrame], spec: Daily, rows_of: pl.DataFrame) -> pl.DataFrame:
    """(day as days since 1970-01-01, person row, value) for the rows feeding ``spec``."""
    date = DATE[spec.table]
    value = pl.col(spec.value) if spec.value else pl.lit(True)
    return (
        tables[spec.table]
        .filter(pl.col(KIND[spec.table]) == spec.kind, pl.col(date).is_not_null(), value.is_not_null())
        .join(rows_of, on="person_id")
        .select(pl.col(date).cast(pl.Int32).alias("day"), "row", value.alias("value"))
    )


def _scatter(count: int, dtype: np.dtype, combine: str, who: np.ndarray, value: np.ndarray) -> np.ndarray:
    """One day's array: ``value`` at positions ``who``, repeated positions combined."""
    array = np.zeros(count, dtype)
    if combine == "any":
        array[who] = True
    elif combine == "sum":
        np.add.at(array, who, value)
    else:
        np.maximum.at(array, who, value)
    return array


def dense_bytes(tables: dict[str, pl.DataFrame]) -> int:
    """Address space of the DAY input arrays of a bulk run: persons × days spanned × item size."""
    tbs_dtypes = {"any": 1, "sum": 4, "max": 4}  # bool; int32 / float32 (OpenFisca's int and float)
    persons = tables["persons"].height
    total = 0
    for spec in DAILY:
        frame = tables[spec.table].filter(pl.col(KIND[spec.table]) == spec.kind)
        dates = frame[DATE[spec.table]].drop_nulls()
        if len(dates):
            total += ((dates.max() - dates.min()).days + 1) * persons * tbs_dtypes[spec.combine]
    return total


def load(tbs: XianTaxBenefitSystem, tables: dict[str, pl.DataFrame]) -> tuple[Simulation, pl.DataFrame, pl.DataFrame]:
    """A simulation over every household of ``tables``, all inputs set; returns it with the
    household and person frames in simulation order."""
    hh = tables["households"].sort("household_id")
    persons = tables["persons"].join(hh.select("household_id"), on="household_id", how="semi").sort("household_id")
    sim = declare(tbs, hh["household_id"].to_list(), persons["person_id"].to_list(), persons["household_id"].to_list())

    for name, frame in [*((n, hh) for n in HOUSEHOLD_FACTS), *((n, persons) for n in PERSON_FACTS)]:
        column, default = frame[name], tbs.variables[name].default_value
        is_enum = isinstance(default, Enum)
        if column.null_count():  # no missing value in OpenFisca: the variable's default stands in
            column = column.fill_null(default.name if is_enum else default)
        values = column.to_numpy()
        sim.set_input(name, "ETERNITY", values.astype(str) if is_enum else values)  # enums: by name

    rows_of = persons.select("person_id", pl.int_range(pl.len(), dtype=pl.Int64).alias("row"))
    for spec in DAILY:
        rows = _daily_rows(tables, spec, rows_of).sort("day")
        dtype = tbs.variables[spec.variable].dtype
        day, who, value = (rows[c].to_numpy() for c in ("day", "row", "value"))
        starts = np.flatnonzero(np.diff(day)) + 1  # the rows of each day, one day after the other
        for d, w, v in zip(np.split(day, starts), np.split(who, starts), np.split(value, starts), strict=True):
            if len(d):
                sim.set_input(spec.variable, _day(int(d[0])), _scatter(persons.height, dtype, spec.combine, w, v))
    return sim, hh, persons


def results(sim: Simulation, as_of: dt.date, hh: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """One row per (entity, policy): policy_id, household_id, person_id, status, fen."""
    period = periods.period(as_of.isoformat())
    out = []
    for policy, (entity, eligible_var, amount_var) in POLICIES.items():
        eligible = sim.calculate(eligible_var, period)
        amount = sim.calculate(amount_var, period) if amount_var else np.zeros(len(eligible))
        ids = (
            {"household_id": hh["household_id"], "person_id": pl.repeat(None, hh.height, dtype=pl.String, eager=True)}
            if entity == "household"
            else {"household_id": persons["household_id"], "person_id": persons["person_id"]}
        )
        out.append(
            pl.DataFrame(
                {
                    "policy_id": policy,
                    **ids,
                    "status": np.where(eligible, "eligible", "not_eligible"),
                    "fen": np.where(eligible, np.round(amount.astype(np.float64) * 100), 0).astype(np.int64),
                }
            )
        )
    return pl.concat(out)


def run(tbs: XianTaxBenefitSystem, tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    sim, hh, persons = load(tbs, tables)
    return results(sim, as_of, hh, persons)


def _fact(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def situation(own: dict[str, pl.DataFrame]) -> dict[str, Any]:
    """The OpenFisca situation of one household from its rows: facts under ``ETERNITY``, events and
    payments under the ISO day they happened, e.g. ``{"sudden_event_severity": {"2025-10-03": 2}}``."""
    persons: dict[str, dict[str, Any]] = {}
    members: dict[str, list[str]] = {}
    for row in own["persons"].iter_rows(named=True):
        persons[row["person_id"]] = {n: {"ETERNITY": row[n]} for n in PERSON_FACTS if row[n] is not None}
        members.setdefault(row["household_id"], []).append(row["person_id"])
    for table in ("events", "payments"):
        date_column, kind_column = DATE[table], KIND[table]
        for row in own[table].iter_rows(named=True):
            person, day = persons.get(row["person_id"]), row[date_column]
            if person is None or day is None:
                continue
            for spec in BY_KIND.get((table, row[kind_column]), ()):
                value = row[spec.value] if spec.value else True
                if value is None:
                    continue
                values = person.setdefault(spec.variable, {})
                key = day.isoformat()
                values[key] = COMBINE[spec.combine](values[key], value) if key in values else value
    households = {
        row["household_id"]: {
            "members": members.get(row["household_id"], []),
            **{n: {"ETERNITY": _fact(row[n])} for n in HOUSEHOLD_FACTS if row[n] is not None},
        }
        for row in own["households"].iter_rows(named=True)
    }
    return {"persons": persons, "households": households}


def run_household(tbs: XianTaxBenefitSystem, own: dict[str, pl.DataFrame], as_of: dt.date) -> dict[str, np.ndarray]:
    """Screen one household from its rows, as an OpenFisca web API / test case would."""
    sim = SimulationBuilder().build_from_entities(tbs, situation(own))
    period = periods.period(as_of.isoformat())
    out = {}
    for _entity, eligible_var, amount_var in POLICIES.values():
        out[eligible_var] = sim.calculate(eligible_var, period)
        if amount_var:
            out[amount_var] = sim.calculate(amount_var, period)
    return out
