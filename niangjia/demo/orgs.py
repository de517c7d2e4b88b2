"""Demo data for the union tree: the Xi'an federation, its districts, zones, streets and staff.

Deterministic for a given seed. Staff all share one demo password, hashed once
(argon2 is deliberately slow; hashing 1,400 passwords would take minutes).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from niangjia.core.roles import Role
from niangjia.orgs.areas import areas_load, read_csv
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.orgs.services import org_create

DEMO_PASSWORD = "Niangjia-2026"  # noqa: S105 - the published demo password, printed by make demo
CITY_CODE = "610100"
CADRE_TOTAL = 1400
# Pinyin slugs for usernames of the 13 districts and counties.
DISTRICT_SLUGS = {
    "610102": "xincheng",
    "610103": "beilin",
    "610104": "lianhu",
    "610111": "baqiao",
    "610112": "weiyang",
    "610113": "yanta",
    "610114": "yanliang",
    "610115": "lintong",
    "610116": "changan",
    "610117": "gaoling",
    "610118": "huyi",
    "610122": "lantian",
    "610124": "zhouzhi",
}
# Industry (产业/行业) unions each district federation keeps beside its street unions.
INDUSTRY_UNIONS = ("教育工会", "建设工会", "交通运输工会")
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林郑梁谢宋唐许韩冯邓曹彭曾萧田"
    "董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾"
)
GIVEN = "建国华军平明伟芳敏静丽强磊洋艳勇杰娟涛超霞刚桂英秀兰志红玉萍波辉鹏飞燕琳晓宁春梅海峰"


@dataclass
class TreeSeed:
    """What the demo tree created, for the other apps' demo data to build on."""

    city: UnionOrg
    districts: dict[str, UnionOrg] = field(default_factory=dict)
    streets: dict[str, list[UnionOrg]] = field(default_factory=dict)
    cadres: dict[str, list[StaffUser]] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def person_name(rng: random.Random) -> str:
    """Return a plausible Chinese name."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def cadre_quota(total: int = CADRE_TOTAL) -> dict[str, int]:
    """Spread `total` cadres over the districts in proportion to population (largest remainder)."""
    weights = {row["code"]: float(row["population_10k"]) for row in read_csv("xian_population.csv")}
    whole = sum(weights.values())
    exact = {code: total * w / whole for code, w in weights.items()}
    quota = {code: int(value) for code, value in exact.items()}
    for code in sorted(exact, key=lambda c: exact[c] - quota[c], reverse=True)[: total - sum(quota.values())]:
        quota[code] += 1
    return quota


def tree_seed(*, seed: int = 2026) -> TreeSeed:
    """Create areas, the Xi'an union tree and staff; return what was made."""
    rng = random.Random(seed)
    areas_load()
    areas = {a.code: a for a in Area.objects.all()}
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        city = org_create(name="西安市总工会", level=OrgLevel.CITY, area=areas[CITY_CODE], parent=None, key="xa-city")
        out = TreeSeed(city=city)
        for code, slug in DISTRICT_SLUGS.items():
            area = areas[code]
            suffix = "总工会"
            district = org_create(
                name=f"{area.name}{suffix}", level=OrgLevel.DISTRICT, area=area, parent=city, key=f"xa-{slug}"
            )
            out.districts[code] = district
            out.streets[code] = [
                org_create(name=f"{street.name}工会", level=OrgLevel.STREET, area=street, parent=district)
                for street in sorted(area.children.all(), key=lambda a: a.code)
            ]
            for industry in INDUSTRY_UNIONS:
                org_create(name=f"{area.name}{industry}", level=OrgLevel.INDUSTRY, area=area, parent=district)
        _zones(city, areas)
        staff: list[StaffUser] = []
        staff.append(_user("xa_admin", "市总管理员", Role.CITY_ADMIN, city, password))
        staff.append(_user("xa_leader", "市总领导", Role.LEADER, city, password))
        quota = cadre_quota()
        number = 0
        for code, district in out.districts.items():
            slug = DISTRICT_SLUGS[code]
            staff.append(
                _user(f"{slug}_staff", f"{district.area.name}工作人员", Role.DISTRICT_STAFF, district, password)
            )
            staff.append(
                _user(f"{slug}_staff2", f"{district.area.name}工作人员二", Role.DISTRICT_STAFF, district, password)
            )
            staff.append(_user(f"{slug}_leader", f"{district.area.name}领导", Role.LEADER, district, password))
            homes = out.streets[code] or [district]
            for i in range(quota[code]):
                number += 1
                org = homes[i % len(homes)] if i % 3 else district
                staff.append(_user(f"cadre{number:04d}", person_name(rng), Role.CADRE, org, password))
        StaffUser.objects.bulk_create(staff, batch_size=500)
        for user in StaffUser.objects.filter(role=Role.CADRE).select_related("org__area").order_by("username"):
            assert user.org is not None
            out.cadres.setdefault(user.org.area.code[:6], []).append(user)
    first_cadre = out.cadres["610114"][0]
    out.logins = [
        ("市总工会管理员", "xa_admin", "西安市总工会"),
        ("区县总工会工作人员", "yanliang_staff", "阎良区总工会"),
        ("工会干部", first_cadre.username, str(first_cadre.org)),
        ("领导(只读)", "xa_leader", "西安市总工会"),
    ]
    return out


def _user(username: str, name: str, role: str, org: UnionOrg, password: str) -> StaffUser:
    return StaffUser(username=username, display_name=name, role=role, org=org, password=password)


def _zones(city: UnionOrg, areas: dict[str, Area]) -> None:
    rows = read_csv("zones.csv")
    by_key: dict[str, UnionOrg] = {}
    for row in rows:
        parent = by_key.get(row["parent_key"], city)
        area = areas.get(row["host_area_code"]) or areas[CITY_CODE]
        by_key[row["key"]] = org_create(
            name=f"{row['name']}工会", level=OrgLevel.ZONE, area=area, parent=parent, key=row["key"]
        )
