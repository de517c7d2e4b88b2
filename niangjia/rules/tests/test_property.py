"""Bulk screening and one-household re-screening agree on random registries (same semantics)."""

import datetime as dt
import math
import os
from decimal import Decimal

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from niangjia.rules import explain_household, load_pack, screen, screen_household, screen_records, tables_from_rows
from niangjia.rules.policy.parameters import resolve
from niangjia.rules.tables.rows import table_rows
from niangjia.rules.tables.schema import normalize_table
from niangjia.rules.tests.conftest import POLICY_DIR, as_record

PACK = load_pack(POLICY_DIR)
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731


def mostly(usual: object, *others: object, weight: int = 3) -> st.SearchStrategy:
    """``usual`` most of the time (so that eligible rows are common), else one of ``others``."""
    return st.sampled_from([usual] * weight + list(others))


days = st.dates(dt.date(2024, 1, 1), dt.date(2026, 3, 1))
money = st.decimals(0, 6000, places=2)


OFFSETS = [-400, -366, -365, -364, -91, -90, -89, -30, -1, 0, 1, 30]  # days around as_of: window edges


@st.composite
def registry(draw: st.DrawFn) -> tuple[dict[str, list[dict]], dt.date]:
    as_of = draw(
        st.one_of(
            days,
            st.sampled_from(
                [
                    dt.date(2025, 11, 1),
                    dt.date(2026, 2, 28),
                    dt.date(2025, 12, 31),
                    dt.date(2025, 7, 1),
                    dt.date(2025, 9, 30),
                    dt.date(2025, 8, 15),
                ]
            ),
        )
    )

    # Half the registries have every optional fact known, so that eligible rows are common too.
    opt = (lambda s: s) if draw(st.booleans()) else maybe

    def when() -> dt.date | None:
        """A date on a window edge relative to as_of, anywhere, or unknown."""
        near = st.sampled_from(OFFSETS).map(lambda d: as_of + dt.timedelta(days=d))
        return draw(st.one_of(near, days, st.none()))

    rows: dict[str, list[dict]] = {k: [] for k in ("households", "persons", "events", "payments", "documents")}
    edge_money = st.sampled_from([Decimal("0"), Decimal("849.99"), Decimal("850"), Decimal("1700"), Decimal("0.01")])
    for h in range(draw(st.integers(1, 4))):
        hid = f"h{h}"
        rows["households"].append(
            {
                "household_id": hid,
                "region_code": draw(st.sampled_from(["610102", "610122", "610124", "610200", None])),
                "homes_owned": draw(mostly(1, 0, 2, 3, None, weight=12)),
                "owns_shop_or_employs": draw(mostly(False, True, None, weight=12)),
                "private_car_non_work": draw(mostly(False, True, weight=12)),
                "child_private_or_abroad": draw(mostly(False, True, None, weight=12)),
                "other_annual_income": draw(opt(st.one_of(money, edge_money))),
                "rigid_medical_12m": draw(st.one_of(money, edge_money)),
                "rigid_education_12m": draw(opt(st.sampled_from([0, 100]))),
                "rigid_other_12m": 0,
                "hardship_costs_12m": draw(opt(money)),
                "archive_level": draw(
                    st.sampled_from([None, "none", "deep", "deep", "relative", "relative", "sudden"])
                ),
                "last_review_date": when(),
            }
        )
        for p in range(draw(st.integers(0, 3))):
            pid = f"{hid}p{p}"
            rows["persons"].append(
                {
                    "person_id": pid,
                    "household_id": hid,
                    "relation": "head" if p == 0 else draw(mostly("child", "spouse", "head", None)),
                    "birth_date": draw(opt(st.dates(dt.date(1960, 1, 1), dt.date(2012, 1, 1)))),
                    "able_to_work": draw(opt(st.booleans())),
                    "is_student": draw(st.booleans()),
                    "employed": draw(st.booleans()),
                    "monthly_income": draw(opt(st.one_of(st.decimals(0, 1800, places=2), edge_money))),
                    "is_migrant": draw(mostly(False, True, None)),
                    "union_member": draw(mostly(True, False, None)),
                    "labour_relation_start": when(),
                    "lives_in_city": draw(opt(st.booleans())),
                    "work_injury_disabled": draw(opt(st.booleans())),
                    "major_illness": draw(opt(st.booleans())),
                    "school_stage": draw(st.sampled_from([None, "undergraduate", "senior_high", "vocational_college"])),
                    "admission_year": draw(mostly(as_of.year, as_of.year + 1, None)),
                    "admission_kind": draw(mostly("regular", None, "military")),
                    "gig_form": draw(mostly("rider", None, "none", "courier")),
                    "mutual_aid_year": draw(mostly(as_of.year, as_of.year - 1, None)),
                }
            )
            for e in range(draw(st.integers(0, 3))):
                kind = draw(
                    st.sampled_from(
                        [
                            "sudden_event",
                            "medical_bill",
                            "inpatient_stay",
                            "skill_certificate",
                            "major_surgery",
                            "death_on_duty",
                        ]
                    )
                )
                rows["events"].append(
                    {
                        "event_id": f"{pid}e{e}",
                        "person_id": pid,
                        "kind": kind,
                        "date": when(),
                        "severity": draw(mostly(2, 1, 3, None)),
                        "cause": draw(st.sampled_from(["accident", "disaster", "major_illness", None])),
                        "days": draw(opt(st.integers(1, 30))),
                        "amount": draw(opt(money)),
                    }
                )
            if draw(st.booleans()):
                rows["payments"].append(
                    {
                        "person_id": pid,
                        "household_id": draw(st.sampled_from([hid, None])),
                        "paid_on": when(),
                        "amount": draw(money),
                        "policy_id": draw(st.sampled_from([p.id for p in PACK])),
                        "period": draw(opt(st.integers(2024, 2026))),
                        "event_id": draw(st.sampled_from([None, f"{pid}e0"])),
                    }
                )
            if draw(st.booleans()):
                kind = draw(st.sampled_from(["收入证明", "出院小结", "职业技能证书", "录取通知书"]))
                rows["documents"].append({"person_id": pid, "kind": kind})
        if draw(st.booleans()):
            rows["documents"].append({"household_id": hid, "kind": draw(st.sampled_from(["户口本", "病历"]))})
    return {k: v for k, v in rows.items() if v}, as_of


ORDER = ["policy_id", "household_id", "person_id"]


@settings(
    max_examples=int(os.environ.get("NIANGJIA_PROPERTY_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(registry())
def test_bulk_equals_single(case: tuple[dict[str, list[dict]], dt.date]) -> None:
    """Bulk (lazy Polars plans) = scalar rows = eager Polars, on every row, in both reasons modes."""
    rows, as_of = case
    tables = tables_from_rows(rows)
    for reasons in ("all", "kept"):
        bulk = screen(PACK, tables, as_of, lazy=True, reasons=reasons)
        assert isinstance(bulk, pl.LazyFrame)
        expected = bulk.collect().sort(ORDER, nulls_last=False)
        for backend in ("python", "polars"):
            got = screen(PACK, tables, as_of, reasons=reasons, backend=backend)
            assert isinstance(got, pl.DataFrame)
            assert got.schema == expected.schema
            assert got.sort(ORDER, nulls_last=False).to_dicts() == expected.to_dicts()
    full = screen(PACK, tables, as_of, lazy=True).collect()
    kept = screen(PACK, tables, as_of, lazy=True, reasons="kept").collect()
    for hid in {r["household_id"] for r in rows["households"]}:
        expected = full.filter(pl.col("household_id") == hid).sort(ORDER, nulls_last=False)
        for backend in ("auto", "polars"):
            single = screen_household(PACK, tables, hid, as_of, backend=backend).sort(ORDER, nulls_last=False)
            assert single.to_dicts() == expected.to_dicts()
        # reasons="kept": identical decisions; sentences only for the kept rows.
        compact = kept.filter(pl.col("household_id") == hid).sort(ORDER, nulls_last=False)
        assert compact.drop("reasons", "hint").to_dicts() == expected.drop("reasons", "hint").to_dicts()
        is_kept = pl.col("status") != "not_eligible"
        assert compact.filter(is_kept).to_dicts() == expected.filter(is_kept).to_dicts()
        assert compact.filter(~is_kept)["hint"].null_count() == compact.filter(~is_kept).height
        # The frame-free entry: the household's plain records in, dicts out, the very same rows.
        own_ids = {p["person_id"] for p in rows.get("persons", []) if p.get("household_id") == hid}
        own = {
            name: [
                r
                for r in records
                if r.get("household_id") == hid or (name != "persons" and r.get("person_id") in own_ids - {None})
            ]
            for name, records in rows.items()
        }
        for reasons, frame in (("all", expected), ("kept", compact)):
            records = sorted(
                screen_records(PACK, own, as_of, reasons=reasons),
                key=lambda r: (r["policy_id"], r["household_id"] or "", r["person_id"] or ""),
            )
            assert records == [as_record(r) for r in frame.to_dicts()]


_text = st.one_of(st.none(), st.sampled_from(["", " ", "是", "否", "TRUE", " 0 ", "yes", "x", "１", "　否　"]))
_money_text = st.one_of(
    st.none(),
    st.sampled_from(["", " 12 ", "１２００", "1,200.50", "1，234．5", " 12元 ", "abc", "一千", "--1"]),
    st.decimals(-10000, 10000, places=3).map(str),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(maybe(st.floats(-1e6, 1e6, allow_nan=False)), _money_text, _text, maybe(st.integers(-9, 9))),
        min_size=1,
        max_size=8,
    )
)
def test_scalar_typing_equals_polars(values: list[tuple]) -> None:
    """The scalar backend types input values (money from floats and text, booleans from text) like Polars."""
    frame = pl.DataFrame(
        {
            "household_id": [str(i) for i in range(len(values))],
            "other_annual_income": [v[0] for v in values],
            "hardship_costs_12m": [v[1] for v in values],
            "owns_shop_or_employs": [v[2] for v in values],
            "rigid_medical_12m": [v[3] for v in values],
        },
        schema={
            "household_id": pl.String,
            "other_annual_income": pl.Float64,
            "hardship_costs_12m": pl.String,
            "owns_shop_or_employs": pl.String,
            "rigid_medical_12m": pl.Int64,
        },
    )
    expected = normalize_table("households", frame).collect().to_dicts()
    assert table_rows("households", frame) == expected


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


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry())
def test_each_policy_alone_equals_the_pack(case: tuple[dict[str, list[dict]], dt.date]) -> None:
    """The bulk path reads only the columns the policies declare: one policy alone gives its rows of the pack."""
    rows, as_of = case
    tables = tables_from_rows(rows)
    whole = screen(PACK, tables, as_of, backend="polars")
    assert isinstance(whole, pl.DataFrame)
    for policy in PACK:
        alone = screen([policy], tables, as_of, lazy=True).collect().sort(ORDER, nulls_last=False)
        mine = whole.filter(pl.col("policy_id") == policy.id).sort(ORDER, nulls_last=False)
        assert alone.to_dicts() == mine.to_dicts()


HARDSHIP = next(p for p in PACK if p.id == "hardship_archive")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry())
def test_trace_is_the_evaluation_behind_the_outcome(case: tuple[dict[str, list[dict]], dt.date]) -> None:
    """explain_household gives screen_household's rows, and hardship_archive's pc is what the level compared."""
    rows, as_of = case
    tables = tables_from_rows(rows)
    regions = {r["household_id"]: r["region_code"] for r in rows["households"]}
    codes = screen([HARDSHIP], tables, as_of, reasons="kept", backend="python")
    assert isinstance(codes, pl.DataFrame)
    for hid in regions:
        traces = explain_household(PACK, tables, hid, as_of)
        expected = screen_household(PACK, tables, hid, as_of, backend="python").to_dicts()
        assert [t.result for t in traces] == [as_record(r) for r in expected]
        (trace,) = [t for t in traces if t.policy_id == "hardship_archive"]
        v = trace.values
        if not trace.computed:
            assert trace.lines == () and "pc" not in v
            continue
        counted = [m.values["counted_income"] for m in trace.members]
        assert len(counted) == v["size"]
        if None not in counted:
            assert v["monthly_total"] == sum(counted, Decimal(0))
        pc, dibao = v["pc"], resolve(HARDSHIP.parameters["dibao"], regions[hid], as_of)
        shown = {x.label: x.value for x in trace.lines if x.person_id is None}
        (kept,) = codes.filter((pl.col("household_id") == hid) & (pl.col("policy_id") == "hardship_archive")).to_dicts()
        failed = (
            set((kept["reasons"] or "").split(",")) - {"", "level", "amount"}
            if kept["status"] == "not_eligible"
            else set()
        )
        assert bool(shown) == (not failed)  # a failed rule decided: no arithmetic; else it is the reason
        if shown:
            assert shown["家庭人口"] == f"{v['size']} 人"
        if pc is None or dibao is None or not shown:
            continue
        assert isinstance(dibao, Decimal)
        assert abs(pc - (v["annual_income"] - v["rigid"]) / v["size"] / 12) < Decimal("1e-6")
        assert (v["level"] == "deep") == (pc < dibao)
        if v["level"] == "relative":
            assert dibao <= pc < 2 * dibao
        fen = math.floor(pc * 100 + Decimal("0.5"))  # the templates' rounding: half up, to the fen
        text = f"{'-' if fen < 0 else ''}{abs(fen) // 100:,}.{abs(fen) % 100:02d} 元"
        assert shown["家庭月人均纯收入"] == text
        if trace.result["status"] == "eligible" and trace.result["level"] in ("deep", "relative"):
            assert f"家庭月人均纯收入 {text}" in trace.result["reasons"]
