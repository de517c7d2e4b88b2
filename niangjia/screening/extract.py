"""The registry, as the rules engine's five input tables (docs/policies.md).

One SQL query per table, read straight into Polars, for the households of one
area partition (or an explicit list): no Python loop over the registry. The
registry's vocabulary is mapped to the engine's here.
"""

# Table names come from model metadata and conditions from this module, never from input: values
# always travel as query parameters.
# ruff: noqa: S608
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl
from django.db import connection
from django.utils import timezone

from niangjia.orgs.models import Area
from niangjia.registry.models import (
    Document,
    Employment,
    Household,
    HouseholdCircumstances,
    HouseholdMember,
    LifeEvent,
    MemberCircumstances,
    ReceivedAid,
    Worker,
)

GIG_FORMS = {
    "gig_rider": "rider",
    "gig_courier": "courier",
    "gig_ride_hailing": "ride_hailing",
    "gig_truck": "truck_driver",
    "gig_streamer": "other_platform",
    "gig_other": "other_platform",
}
EMPLOYED_STATUSES = ("employed", "flexible")


def _t(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


def _selection(area_prefix: str | None, household_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    """SQL condition on alias `h` (households) and its parameters."""
    if household_ids is not None:
        ids = [int(i) for i in household_ids] or [-1]
        return f"h.id IN ({', '.join(['%s'] * len(ids))})", list(ids)
    if area_prefix:
        return f"h.area_id IN (SELECT id FROM {_t(Area)} WHERE code LIKE %s)", [f"{area_prefix}%"]
    return "1 = 1", []


def _read(sql: str, params: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Run one query into a frame of `schema`.

    The SQL casts money and dates to text (ISO dates, exact decimals) so both databases
    deliver the same thing; SQLite's 0/1 booleans are cast after loading.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    loose = {name: {pl.Boolean: pl.Int64, pl.Date: pl.String}.get(dtype, dtype) for name, dtype in schema.items()}
    frame = pl.DataFrame(rows, schema=list(loose.items()), orient="row")
    return frame.with_columns(
        pl.col(name).cast(pl.Boolean) if dtype == pl.Boolean else pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d")
        for name, dtype in schema.items()
        if dtype in (pl.Boolean, pl.Date)
    )


def extract_tables(
    *, area_prefix: str | None = None, household_ids: Sequence[int] | None = None
) -> dict[str, pl.DataFrame]:
    """Return households, persons, events, payments and documents for the selected households."""
    where, params = _selection(area_prefix, household_ids)
    households = _read(
        f"""SELECT CAST(h.id AS TEXT), a.code, c.homes_owned, c.owns_shop_or_employs, c.private_car_non_work,
                   c.child_private_or_abroad, CAST(c.other_annual_income AS TEXT), CAST(c.rigid_medical_12m AS TEXT), CAST(c.rigid_education_12m AS TEXT),
                   CAST(c.rigid_other_12m AS TEXT), CAST(c.hardship_costs_12m AS TEXT), h.archive_level, CAST(h.last_review_date AS TEXT)
            FROM {_t(Household)} h JOIN {_t(Area)} a ON a.id = h.area_id
            LEFT JOIN {_t(HouseholdCircumstances)} c ON c.household_id = h.id WHERE {where}""",
        params,
        {
            "household_id": pl.String,
            "region_code": pl.String,
            "homes_owned": pl.Int64,
            "owns_shop_or_employs": pl.Boolean,
            "private_car_non_work": pl.Boolean,
            "child_private_or_abroad": pl.Boolean,
            "other_annual_income": pl.String,
            "rigid_medical_12m": pl.String,
            "rigid_education_12m": pl.String,
            "rigid_other_12m": pl.String,
            "hardship_costs_12m": pl.String,
            "archive_level": pl.String,
            "last_review_date": pl.Date,
        },
    ).with_columns(pl.col("archive_level").replace("", "none").fill_null("none"))
    persons = _read(
        f"""SELECT CAST(m.id AS TEXT), CAST(m.household_id AS TEXT), m.relation, CAST(m.birth_date AS TEXT), m.sex, m.able_to_work,
                   m.school_stage, m.work_status, CAST(mc.monthly_income AS TEXT), w.is_migrant, w.union_member,
                   CAST((SELECT MIN(e.start_date) FROM {_t(Employment)} e WHERE e.worker_id = w.id AND e.end_date IS NULL) AS TEXT),
                   w.lives_in_city, mc.work_injury_disabled, mc.major_illness, m.admission_year, m.admission_kind,
                   (SELECT MIN(e.form) FROM {_t(Employment)} e WHERE e.worker_id = w.id AND e.end_date IS NULL
                      AND e.form LIKE 'gig%%'),
                   w.mutual_aid_year, m.worker_id
            FROM {_t(HouseholdMember)} m JOIN {_t(Household)} h ON h.id = m.household_id
            LEFT JOIN {_t(MemberCircumstances)} mc ON mc.member_id = m.id
            LEFT JOIN {_t(Worker)} w ON w.id = m.worker_id WHERE {where}""",
        params,
        {
            "person_id": pl.String,
            "household_id": pl.String,
            "relation": pl.String,
            "birth_date": pl.Date,
            "sex": pl.String,
            "able_to_work": pl.Boolean,
            "school_stage": pl.String,
            "work_status": pl.String,
            "monthly_income": pl.String,
            "is_migrant": pl.Boolean,
            "union_member": pl.Boolean,
            "labour_relation_start": pl.Date,
            "lives_in_city": pl.Boolean,
            "work_injury_disabled": pl.Boolean,
            "major_illness": pl.Boolean,
            "admission_year": pl.Int64,
            "admission_kind": pl.String,
            "gig_form": pl.String,
            "mutual_aid_year": pl.Int64,
            "worker_id": pl.Int64,
        },
    )
    persons = _map_persons(persons)
    return {
        "households": households,
        "persons": persons,
        "events": _read(
            f"""SELECT CAST(e.id AS TEXT), CAST(e.member_id AS TEXT), CAST(e.household_id AS TEXT), e.kind, CAST(e.date AS TEXT),
                       e.severity, e.cause, e.days, CAST(e.amount AS TEXT)
                FROM {_t(LifeEvent)} e JOIN {_t(Household)} h ON h.id = e.household_id WHERE {where}""",
            params,
            {
                "event_id": pl.String,
                "person_id": pl.String,
                "household_id": pl.String,
                "kind": pl.String,
                "date": pl.Date,
                "severity": pl.Int64,
                "cause": pl.String,
                "days": pl.Int64,
                "amount": pl.String,
            },
        ).with_columns(pl.col("cause").replace("", None)),
        "payments": _read(
            f"""SELECT CAST(p.id AS TEXT), CAST(p.member_id AS TEXT), CAST(p.household_id AS TEXT), p.policy_id,
                       CAST(p.paid_on AS TEXT), CAST(p.amount AS TEXT), p.period, CAST(p.event_id AS TEXT)
                FROM {_t(ReceivedAid)} p JOIN {_t(Household)} h ON h.id = p.household_id WHERE {where}""",
            params,
            {
                "payment_id": pl.String,
                "person_id": pl.String,
                "household_id": pl.String,
                "policy_id": pl.String,
                "paid_on": pl.Date,
                "amount": pl.String,
                "period": pl.Int64,
                "event_id": pl.String,
            },
        ),
        "documents": _read(
            f"""SELECT CAST(d.member_id AS TEXT), CAST(d.household_id AS TEXT), d.kind, CAST(d.received_on AS TEXT)
                FROM {_t(Document)} d JOIN {_t(Household)} h ON h.id = d.household_id WHERE {where}""",
            params,
            {"person_id": pl.String, "household_id": pl.String, "kind": pl.String, "received_on": pl.Date},
        ),
    }


def _map_persons(persons: pl.DataFrame) -> pl.DataFrame:
    """Derive the engine's person facts from the registry's columns."""
    status = pl.col("work_status").replace("", None)
    is_student = (
        pl.when(status == "student")
        .then(True)
        .when(pl.col("school_stage").replace("", None).is_not_null() & (status.is_null()))
        .then(True)
        .when(status.is_not_null())
        .then(False)
        .otherwise(None)
    )
    gig = pl.col("gig_form").replace_strict(GIG_FORMS, default=None)
    stage = pl.col("school_stage").replace("", None)
    # The registry knows a member is not in school when their work status is known and is
    # not "student" and no stage is recorded: that is "not admitted" (school_stage ``none``), not
    # an unknown. Such a member has no admission year or kind: they stay null, never a 0 or a
    # made-up "regular" that a sentence would print (入学年份 0).
    out_of_school = stage.is_null() & status.is_not_null() & (status != "student")
    return persons.with_columns(
        is_student.alias("is_student"),
        pl.when(status.is_null()).then(None).otherwise(status.is_in(EMPLOYED_STATUSES)).alias("employed"),
        # A member who is not a registered worker cannot be a union member or a gig worker.
        pl.when(pl.col("worker_id").is_null()).then(pl.lit("none")).otherwise(gig.fill_null("none")).alias("gig_form"),
        pl.col("union_member").fill_null(False),
        pl.when(out_of_school).then(pl.lit("none")).otherwise(stage).alias("school_stage"),
        pl.col("admission_kind").replace("", None),
        # The union keeps the mutual-aid roll itself: no year recorded means not enrolled.
        pl.col("mutual_aid_year").fill_null(0),
    ).drop("work_status", "worker_id")


def as_of_default() -> date:
    """Today in Asia/Shanghai, the default as-of date."""
    return timezone.localdate()
