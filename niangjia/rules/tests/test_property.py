"""Bulk screening and one-household re-screening agree on random registries (same semantics)."""

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from niangjia.rules import load_pack, screen, screen_household, tables_from_rows
from niangjia.rules.tests.conftest import POLICY_DIR

PACK = load_pack(POLICY_DIR)
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
days = st.dates(dt.date(2024, 1, 1), dt.date(2026, 3, 1))
money = st.decimals(0, 6000, places=2)


@st.composite
def registry(draw: st.DrawFn) -> tuple[dict[str, list[dict]], dt.date]:
    rows: dict[str, list[dict]] = {k: [] for k in ("households", "persons", "events", "payments", "documents")}
    for h in range(draw(st.integers(1, 4))):
        hid = f"h{h}"
        rows["households"].append(
            {
                "household_id": hid,
                "region_code": draw(st.sampled_from(["610102", "610122", "610124", "610200"])),
                "homes_owned": draw(maybe(st.integers(0, 3))),
                "owns_shop_or_employs": draw(maybe(st.booleans())),
                "private_car_non_work": draw(st.booleans()),
                "child_private_or_abroad": False,
                "other_annual_income": draw(maybe(money)),
                "rigid_medical_12m": draw(money),
                "rigid_education_12m": 0,
                "rigid_other_12m": 0,
                "hardship_costs_12m": draw(maybe(money)),
                "archive_level": draw(st.sampled_from([None, "deep", "relative", "sudden"])),
                "last_review_date": draw(maybe(days)),
            }
        )
        for p in range(draw(st.integers(0, 3))):
            pid = f"{hid}p{p}"
            rows["persons"].append(
                {
                    "person_id": pid,
                    "household_id": hid,
                    "relation": "head" if p == 0 else draw(st.sampled_from(["child", "spouse"])),
                    "birth_date": draw(st.dates(dt.date(1960, 1, 1), dt.date(2012, 1, 1))),
                    "able_to_work": draw(maybe(st.booleans())),
                    "is_student": draw(st.booleans()),
                    "employed": draw(st.booleans()),
                    "monthly_income": draw(maybe(money)),
                    "is_migrant": draw(maybe(st.booleans())),
                    "union_member": draw(maybe(st.booleans())),
                    "labour_relation_start": draw(maybe(days)),
                    "lives_in_city": True,
                    "work_injury_disabled": draw(maybe(st.booleans())),
                    "school_stage": draw(st.sampled_from([None, "undergraduate", "senior_high"])),
                    "admission_year": 2025,
                    "admission_kind": draw(st.sampled_from([None, "regular", "military"])),
                    "gig_form": draw(st.sampled_from([None, "none", "rider"])),
                    "mutual_aid_year": draw(st.sampled_from([2025, 2026])),
                }
            )
            for _ in range(draw(st.integers(0, 2))):
                kind = draw(
                    st.sampled_from(
                        ["sudden_event", "medical_bill", "inpatient_stay", "skill_certificate", "major_surgery"]
                    )
                )
                rows["events"].append(
                    {
                        "person_id": pid,
                        "kind": kind,
                        "date": draw(days),
                        "severity": draw(maybe(st.integers(1, 3))),
                        "cause": "accident",
                        "days": draw(maybe(st.integers(1, 30))),
                        "amount": draw(maybe(money)),
                    }
                )
            if draw(st.booleans()):
                rows["payments"].append(
                    {
                        "person_id": pid,
                        "household_id": hid,
                        "paid_on": draw(days),
                        "amount": draw(money),
                        "policy_id": draw(st.sampled_from([p.id for p in PACK])),
                    }
                )
        if draw(st.booleans()):
            rows["documents"].append({"household_id": hid, "kind": "户口本"})
    return {k: v for k, v in rows.items() if v}, draw(days)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry())
def test_bulk_equals_single(case: tuple[dict[str, list[dict]], dt.date]) -> None:
    rows, as_of = case
    tables = tables_from_rows(rows)
    # The registry path (lazy plans, collect_all) against the household path (eager frames).
    bulk = screen(PACK, tables, as_of, lazy=True)
    assert isinstance(bulk, pl.LazyFrame)
    full = bulk.collect()
    kept = screen(PACK, tables, as_of, lazy=True, reasons="kept").collect()
    order = ["policy_id", "household_id", "person_id"]
    for hid in {r["household_id"] for r in rows["households"]}:
        single = screen_household(PACK, tables, hid, as_of).sort(order, nulls_last=False)
        expected = full.filter(pl.col("household_id") == hid).sort(order, nulls_last=False)
        assert single.to_dicts() == expected.to_dicts()
        # reasons="kept": identical decisions; sentences only for the kept rows.
        compact = kept.filter(pl.col("household_id") == hid).sort(order, nulls_last=False)
        assert compact.drop("reasons", "hint").to_dicts() == expected.drop("reasons", "hint").to_dicts()
        is_kept = pl.col("status") != "not_eligible"
        assert compact.filter(is_kept).to_dicts() == expected.filter(is_kept).to_dicts()
        assert compact.filter(~is_kept)["hint"].null_count() == compact.filter(~is_kept).height


@settings(max_examples=10, deadline=None)
@given(registry())
def test_unknown_income_never_eligible_by_silence(case: tuple[dict[str, list[dict]], dt.date]) -> None:
    """A household whose level hinges on an unknown income is never 'eligible' for hardship_archive."""
    rows, as_of = case
    for p in rows.get("persons", []):
        p.update(monthly_income=None, employed=True)
    bulk = screen([p for p in PACK if p.id == "hardship_archive"], tables_from_rows(rows), as_of)
    assert isinstance(bulk, pl.DataFrame)
    with_members = {p["household_id"] for p in rows.get("persons", [])}
    statuses = bulk.filter(pl.col("household_id").is_in(list(with_members)))["status"].to_list()
    assert "eligible" not in statuses
