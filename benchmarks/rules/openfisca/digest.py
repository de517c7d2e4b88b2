"""Digest mode: Polars aggregates events and payments per person first; OpenFisca compares.

A tax-benefit system built in code (Person, Household; MONTH variables) whose inputs are
per-person digests computed by ``digest()`` with Polars, already relative to as_of: days since
the latest death on duty / surgery / certificate / relief payment, the most severe sudden event
within 90 days, this year's inpatient extra days and payments, the season match of warmth
payments. The history windows are therefore decided in Polars, outside OpenFisca; OpenFisca's
formulas only compare those digests, pick levels and compute amounts. See ``native.py`` for the
mode where the windows are OpenFisca formulas.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import MONTH
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable
from openfisca_xian.entities import Household, Person, declare  # the native package's entities

NOT, YES, MAYBE = 0, 1, 2  # status codes
UNKNOWN_DAYS = -1  # "no such event/payment"

PARAMETERS = {
    "warmth": {
        "deep": {"values": {"2025-01-01": 2000}},
        "relative": {"values": {"2025-01-01": 1000}},
        "sudden": {"values": {"2025-01-01": 1000}},
        "care": {"values": {"2025-01-01": 500}},
    },
    "emergency": {
        "general": {"values": {"2025-01-01": 1000}},
        "serious": {"values": {"2025-01-01": 2000}},
        "extreme": {"values": {"2025-01-01": 3000}},
    },
    "inpatient": {"daily": {"values": {"2025-01-01": 50}}, "cap": {"values": {"2025-01-01": 4500}}},
    "gig": {"cap": {"values": {"2025-01-01": 3000}}},
}


def _var(name: str, entity: object, dtype: type, default: object = 0, formula: object = None) -> type:
    attrs = {"value_type": dtype, "entity": entity, "definition_period": MONTH, "label": name, "default_value": default}
    if formula is not None:
        attrs["formula"] = formula
    return type(name, (Variable,), attrs)


def build_system() -> TaxBenefitSystem:
    tbs = TaxBenefitSystem([Person, Household])
    tbs.parameters = ParameterNode("", data=PARAMETERS)
    inputs = {
        # household facts
        ("archive_level", Household, str, "none"),
        ("review_days_ago", Household, int, UNKNOWN_DAYS),  # as_of − last_review_date
        ("as_of_in_season", Household, bool, False),
        # person facts
        ("work_injury_disabled", Person, bool, False),
        ("is_gig", Person, bool, False),
        ("union_member", Person, bool, False),
        ("mutual_aid_this_year", Person, bool, False),
        # per-person digests of events / payments (days ago of the latest, sums, maxima)
        ("death_on_duty_days", Person, int, UNKNOWN_DAYS),
        ("major_surgery_days", Person, int, UNKNOWN_DAYS),
        ("sudden_severity_90", Person, int, 0),
        ("sudden_count_90", Person, int, 0),
        ("relief_paid_days", Person, int, UNKNOWN_DAYS),
        ("warmth_paid_this_season", Person, bool, False),
        ("stay_long_this_year", Person, bool, False),
        ("stay_extra_days", Person, int, 0),
        ("inpatient_paid", Person, float, 0.0),
        ("cert_days", Person, int, UNKNOWN_DAYS),
        ("cert_cost_max_365", Person, float, 0.0),
        ("gig_paid_this_year", Person, bool, False),
    }
    for name, entity, dtype, default in inputs:
        tbs.add_variable(_var(name, entity, dtype, default))

    def archive_review_status(h, period, parameters):
        archived = h("archive_level", period) != "none"
        days = h("review_days_ago", period)
        return np.where(archived & (days > 365), YES, NOT)

    def warmth_amount(h, period, parameters):
        p = parameters(period).warmth
        level = h("archive_level", period)
        injured = h.any(h.members("work_injury_disabled", period))
        death = h.members("death_on_duty_days", period)
        surgery = h.members("major_surgery_days", period)
        care = injured | h.any((death >= 0) & (death <= 365)) | h.any((surgery >= 0) & (surgery <= 90))
        return np.select(
            [level == "deep", level == "relative", level == "sudden", care],
            [p.deep, p.relative, p.sudden, p.care],
            0,
        )

    def warmth_status(h, period, parameters):
        paid = h.any(h.members("warmth_paid_this_season", period))
        ok = h("as_of_in_season", period) & ~paid & (h("warmth_amount", period) > 0)
        return np.where(ok, YES, NOT)

    def emergency_amount(h, period, parameters):
        p = parameters(period).emergency
        worst = h.max(h.members("sudden_severity_90", period))
        return np.where(worst >= 3, p.extreme, np.where(worst == 2, p.serious, p.general))

    def emergency_status(h, period, parameters):
        recent = h.sum(h.members("sudden_count_90", period)) > 0
        paid = h.members("relief_paid_days", period)
        relieved = h.any((paid >= 0) & (paid <= 365))
        return np.where(recent & ~relieved, YES, NOT)

    def inpatient_amount(p, period, parameters):
        q = parameters(period).inpatient
        remaining = np.round(q.cap - p("inpatient_paid", period), 2)
        return np.minimum(q.daily * p("stay_extra_days", period), remaining)

    def inpatient_status(p, period, parameters):
        ok = p("mutual_aid_this_year", period) & p("stay_long_this_year", period)
        return np.where(ok & (p("inpatient_amount", period) > 0), YES, NOT)

    def gig_amount(p, period, parameters):
        return np.minimum(p("cert_cost_max_365", period), parameters(period).gig.cap)

    def gig_status(p, period, parameters):
        days = p("cert_days", period)
        ok = p("is_gig", period) & p("union_member", period) & (days >= 0) & (days <= 365)
        return np.where(ok & ~p("gig_paid_this_year", period), YES, NOT)

    for name, entity, dtype, formula in [
        ("archive_review_status", Household, int, archive_review_status),
        ("warmth_amount", Household, float, warmth_amount),
        ("warmth_status", Household, int, warmth_status),
        ("emergency_relief_amount", Household, float, emergency_amount),
        ("emergency_relief_status", Household, int, emergency_status),
        ("inpatient_amount", Person, float, inpatient_amount),
        ("inpatient_status", Person, int, inpatient_status),
        ("gig_amount", Person, float, gig_amount),
        ("gig_status", Person, int, gig_status),
    ]:
        tbs.add_variable(_var(name, entity, dtype, 0, formula))
    return tbs


def digest(tables: dict[str, pl.DataFrame], as_of: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per-household and per-person input variables from the five tables (dates → days ago)."""
    days = (pl.lit(as_of) - pl.col("date")).dt.total_days()
    hh = tables["households"].select(
        "household_id",
        pl.col("archive_level").fill_null("none"),
        (pl.lit(as_of) - pl.col("last_review_date")).dt.total_days().fill_null(UNKNOWN_DAYS).alias("review_days_ago"),
    )
    ev = tables["events"].filter(pl.col("date") <= as_of).with_columns(days.alias("d"))
    year = as_of.year
    per = ev.group_by("person_id").agg(
        pl.col("d").filter(pl.col("kind") == "death_on_duty").min().alias("death_on_duty_days"),
        pl.col("d").filter(pl.col("kind") == "major_surgery").min().alias("major_surgery_days"),
        pl.col("severity")
        .filter((pl.col("kind") == "sudden_event") & (pl.col("d") <= 90))
        .max()
        .alias("sudden_severity_90"),
        ((pl.col("kind") == "sudden_event") & (pl.col("d") <= 90)).sum().alias("sudden_count_90"),
        ((pl.col("kind") == "inpatient_stay") & (pl.col("date").dt.year() == year) & (pl.col("days") > 3))
        .any()
        .alias("stay_long_this_year"),
        (pl.col("days") - 3)
        .clip(0)
        .filter((pl.col("kind") == "inpatient_stay") & (pl.col("date").dt.year() == year))
        .sum()
        .alias("stay_extra_days"),
        pl.col("d").filter(pl.col("kind") == "skill_certificate").min().alias("cert_days"),
        pl.col("amount")
        .filter((pl.col("kind") == "skill_certificate") & (pl.col("d") <= 365))
        .max()
        .alias("cert_cost_max_365"),
    )
    pay = (
        tables["payments"]
        .filter(pl.col("paid_on") <= as_of)
        .with_columns((pl.lit(as_of) - pl.col("paid_on")).dt.total_days().alias("d"))
    )
    season = as_of.year if as_of.month >= 11 else as_of.year - 1
    pay_season = (
        pl.when(pl.col("paid_on").dt.month() >= 11)
        .then(pl.col("paid_on").dt.year())
        .when(pl.col("paid_on").dt.month() <= 2)
        .then(pl.col("paid_on").dt.year() - 1)
    )
    pp = pay.group_by("person_id").agg(
        pl.col("d").filter(pl.col("policy_id") == "emergency_relief").min().alias("relief_paid_days"),
        ((pl.col("policy_id") == "warmth") & (pay_season == season)).any().alias("warmth_paid_this_season"),
        pl.col("amount")
        .filter((pl.col("policy_id") == "inpatient_mutual_aid") & (pl.col("paid_on").dt.year() == year))
        .sum()
        .alias("inpatient_paid"),
        ((pl.col("policy_id") == "gig_training_subsidy") & (pl.col("paid_on").dt.year() == year))
        .any()
        .alias("gig_paid_this_year"),
    )
    persons = (
        tables["persons"]
        .select(
            "person_id",
            "household_id",
            pl.col("work_injury_disabled").fill_null(False),
            pl.col("gig_form")
            .is_in(["rider", "courier", "ride_hailing", "truck_driver", "other_platform"])
            .fill_null(False)
            .alias("is_gig"),
            pl.col("union_member").fill_null(False),
            (pl.col("mutual_aid_year") == year).fill_null(False).alias("mutual_aid_this_year"),
        )
        .join(per, on="person_id", how="left")
        .join(pp, on="person_id", how="left")
        .with_columns(
            pl.col("death_on_duty_days", "major_surgery_days", "relief_paid_days", "cert_days").fill_null(UNKNOWN_DAYS),
            pl.col("sudden_severity_90", "sudden_count_90", "stay_extra_days").fill_null(0),
            pl.col("inpatient_paid", "cert_cost_max_365").fill_null(0.0),
            pl.col("warmth_paid_this_season", "stay_long_this_year", "gig_paid_this_year").fill_null(False),
        )
        .join(hh.select("household_id"), on="household_id", how="semi")
    )
    return hh, persons


HH_VARS = ["archive_level", "review_days_ago"]
P_VARS = [
    "work_injury_disabled",
    "is_gig",
    "union_member",
    "mutual_aid_this_year",
    "death_on_duty_days",
    "major_surgery_days",
    "sudden_severity_90",
    "sudden_count_90",
    "relief_paid_days",
    "warmth_paid_this_season",
    "stay_long_this_year",
    "stay_extra_days",
    "inpatient_paid",
    "cert_days",
    "cert_cost_max_365",
    "gig_paid_this_year",
]


def simulate(tbs: TaxBenefitSystem, hh: pl.DataFrame, persons: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Build an OpenFisca simulation for these entities and compute the five policies."""
    period = f"{as_of.year}-{as_of.month:02d}"
    persons = persons.sort("household_id")
    hh = hh.sort("household_id")
    sim = declare(tbs, hh["household_id"].to_list(), persons["person_id"].to_list(), persons["household_id"].to_list())
    for name in HH_VARS:
        sim.set_input(name, period, hh[name].to_numpy())
    in_season = as_of.month >= 11 or as_of.month <= 2
    sim.set_input("as_of_in_season", period, np.full(hh.height, in_season))
    for name in P_VARS:
        sim.set_input(name, period, persons[name].to_numpy())
    out = []
    for pid, status, amount in [
        ("archive_review", "archive_review_status", None),
        ("warmth", "warmth_status", "warmth_amount"),
        ("emergency_relief", "emergency_relief_status", "emergency_relief_amount"),
    ]:
        st = sim.calculate(status, period)
        am = sim.calculate(amount, period) if amount else np.zeros(len(st))
        out.append(
            pl.DataFrame(
                {
                    "policy_id": pid,
                    "household_id": hh["household_id"],
                    "person_id": None,
                    "status": st,
                    "fen": np.where(st == YES, np.round(am * 100), 0).astype(np.int64),
                },
                schema_overrides={"person_id": pl.String},
            )
        )
    for pid, status, amount in [
        ("inpatient_mutual_aid", "inpatient_status", "inpatient_amount"),
        ("gig_training_subsidy", "gig_status", "gig_amount"),
    ]:
        st = sim.calculate(status, period)
        am = sim.calculate(amount, period)
        out.append(
            pl.DataFrame(
                {
                    "policy_id": pid,
                    "household_id": persons["household_id"],
                    "person_id": persons["person_id"],
                    "status": st,
                    "fen": np.where(st == YES, np.round(am * 100), 0).astype(np.int64),
                }
            )
        )
    result = pl.concat(out)
    return result.with_columns(
        pl.col("status").replace_strict(
            {NOT: "not_eligible", YES: "eligible", MAYBE: "possibly"}, return_dtype=pl.String
        )
    )
