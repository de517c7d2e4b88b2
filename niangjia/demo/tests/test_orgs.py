"""The demo union tree: every level, 1,400 cadres spread by district size, deterministic."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from niangjia.core.roles import Role
from niangjia.demo.orgs import CADRE_TOTAL, cadre_quota, tree_seed
from niangjia.orgs.areas import read_csv
from niangjia.orgs.models import Area, StaffUser, UnionOrg


def test_areas_cover_shaanxi_xian_and_streets(db):
    tree_seed(seed=1)
    assert Area.objects.filter(level="prefecture", code__startswith="61").count() == 10
    assert Area.objects.filter(level="county", parent__code="610100").count() == 13
    for county in ("610114", "610116"):
        assert Area.objects.filter(level="street", parent__code=county).count() > 5
    assert all(row["source"] for row in read_csv("areas.csv"))


def test_tree_has_every_level_and_zones(db):
    tree = tree_seed(seed=1)
    levels = dict(UnionOrg.objects.values_list("level").annotate(n=Count("id")))
    assert levels["city"] == 1 and levels["district"] == 13 and levels["zone"] >= 8
    assert levels["street"] > 100 and levels["industry"] == 39
    gaoxin = UnionOrg.objects.get(key="xa-gaoxin")
    assert gaoxin.parent == tree.city and gaoxin.path.startswith(tree.city.path)
    assert all(tree.city.contains(org) for org in UnionOrg.objects.all())


def test_cadres_spread_in_proportion_to_population(db):
    quota = cadre_quota()
    assert sum(quota.values()) == CADRE_TOTAL
    weights = {r["code"]: float(r["population_10k"]) for r in read_csv("xian_population.csv")}
    total = sum(weights.values())
    for code, n in quota.items():
        assert abs(n - CADRE_TOTAL * weights[code] / total) < 1
    tree_seed(seed=1)
    by_district = {code: 0 for code in quota}
    for user in StaffUser.objects.filter(role=Role.CADRE).select_related("org__area"):
        by_district[user.org.area.code[:6]] += 1
    assert by_district == quota


class _Rollback(Exception):
    pass


def _cadres_of_a_seed(seed: int) -> list[tuple[str, str]]:
    """Seed inside a transaction that is rolled back; return the first cadres made."""
    try:
        with transaction.atomic():
            tree_seed(seed=seed)
            rows = (
                StaffUser.objects.filter(role=Role.CADRE).order_by("username").values_list("username", "display_name")
            )
            raise _Rollback(list(rows[:50]))
    except _Rollback as done:
        return done.args[0]


def test_seed_is_deterministic(db):
    first, again, other = _cadres_of_a_seed(5), _cadres_of_a_seed(5), _cadres_of_a_seed(6)
    assert len(first) == 50 and first == again
    assert first != other
