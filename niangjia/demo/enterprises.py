"""Demo enterprises of the Xi'an preset: USCCs, places, enterprise unions, chairs and cadre pairing.

Everything is drawn from the caller's `random.Random`, in a fixed order, so a seed
always gives the same enterprises. Unions are bulk-created (org_create audits one
row at a time, far too slow for ~900 organizations) and given their tree path in a
second pass, as org_create does.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from niangjia.core.identifiers import USCC_CHARSET, make_uscc
from niangjia.core.roles import Role
from niangjia.demo.orgs import DISTRICT_SLUGS, TreeSeed, cadre_quota, person_name
from niangjia.orgs.areas import read_csv
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.choices import EmploymentForm, Industry, Ownership, SizeClass
from niangjia.registry.models import Enterprise, EnterpriseAssignment
from niangjia.registry.services import EnterpriseData, enterprise_bulk_register

ENTERPRISE_TOTAL = 1600
PLATFORM_SHARE = 0.03
KM_PER_DEGREE = 111.32

OWNERSHIP_WEIGHTS: dict[str, float] = {
    Ownership.PRIVATE: 63, Ownership.INDIVIDUAL: 12, Ownership.MIXED: 10, Ownership.STATE: 5,
    Ownership.COLLECTIVE: 2, Ownership.FOREIGN: 3, Ownership.HMT: 2, Ownership.SOCIAL: 3,
}  # fmt: skip
SIZE_WEIGHTS: dict[str, float] = {SizeClass.MICRO: 42, SizeClass.SMALL: 38, SizeClass.MEDIUM: 14, SizeClass.LARGE: 6}
SIZE_EMPLOYEES: dict[str, tuple[int, int]] = {SizeClass.MICRO: (3, 19), SizeClass.SMALL: (20, 299), SizeClass.MEDIUM: (300, 999),
                  SizeClass.LARGE: (1000, 4000)}  # fmt: skip
UNION_CHANCE: dict[str, float] = {
    SizeClass.MICRO: 0.38,
    SizeClass.SMALL: 0.62,
    SizeClass.MEDIUM: 0.85,
    SizeClass.LARGE: 0.95,
}
# GB/T 4754 sections with a weight and the trade words used in names.
INDUSTRIES: dict[str, tuple[float, tuple[str, ...]]] = {
    Industry.C: (18, ("机械制造", "电子科技", "食品", "汽车零部件", "新材料", "服装", "印务")),
    Industry.F: (20, ("商贸", "超市", "医药连锁", "建材", "电器", "百货")),
    Industry.H: (10, ("餐饮管理", "酒店", "面馆", "饭店")),
    Industry.E: (9, ("建筑工程", "建设", "装饰工程", "市政工程")),
    Industry.G: (7, ("物流", "运输", "仓储", "货运")),
    Industry.I: (8, ("软件", "信息技术", "网络科技", "数据服务")),
    Industry.L: (7, ("商务咨询", "人力资源", "物业管理", "广告")),
    Industry.M: (5, ("检测技术", "工程设计", "环保科技")),
    Industry.O: (6, ("家政服务", "汽车修理", "美容美发", "洗衣")),
    Industry.K: (3, ("房地产开发", "置业")),
    Industry.Q: (2, ("康复医院", "养老服务", "诊所")),
    Industry.P: (2, ("培训学校", "教育科技")),
    Industry.R: (1.5, ("文化传媒", "影视")),
    Industry.N: (1, ("环境卫生", "园林绿化")),
    Industry.A: (1, ("农业科技", "苗木")),
    Industry.D: (0.5, ("燃气", "供水")),
    Industry.J: (1, ("小额贷款", "保险代理")),
}
TRADE_NAMES = (
    "恒达", "华宇", "瑞丰", "秦川", "鼎盛", "金泰", "永兴", "宏远", "新锐", "博瑞", "盛世", "天和", "汇通", "中联",
    "长青", "丰源", "启航", "明德", "立信", "嘉禾", "利民", "安泰", "兴业", "万通", "东方", "卓越", "和顺", "同创",
    "星辰", "普惠", "终南", "渭水", "唐韵", "古都", "丝路", "长乐", "鑫源", "华腾", "联创", "信达",
)  # fmt: skip
ROADS = ("建设路", "幸福路", "东风路", "友谊路", "长安路", "丰庆路", "太白路", "含光路", "朱雀大街", "凤城路",
         "文景路", "纬二路", "工业路", "兴华路", "人民路", "育才路")  # fmt: skip
# (brand, name pattern, gig form, section): fictional brands in the style of the big platforms.
PLATFORMS = (
    ("美达外卖", "{brand}{district}配送站", EmploymentForm.GIG_RIDER, Industry.G),
    ("饱了吗", "{brand}{district}即时配送服务部", EmploymentForm.GIG_RIDER, Industry.G),
    ("顺达速运", "{brand}{district}营业部", EmploymentForm.GIG_COURIER, Industry.G),
    ("拉货宝", "{brand}西安{district}货运服务中心", EmploymentForm.GIG_TRUCK, Industry.G),
    ("滴行出行", "{brand}西安{district}网约车服务有限公司", EmploymentForm.GIG_RIDE_HAILING, Industry.G),
    ("星播传媒", "{brand}{district}直播基地", EmploymentForm.GIG_STREAMER, Industry.R),
)


@dataclass
class DistrictPlace:
    """Centre and safe radius of a district, and the street unions under it."""

    code: str
    name: str
    lng: float
    lat: float
    radius_km: float
    streets: list[UnionOrg]
    district: UnionOrg


@dataclass
class EnterpriseSeed:
    """What the enterprise step made, for the people step."""

    enterprises: list[Enterprise] = field(default_factory=list)
    gig_form: dict[int, str] = field(default_factory=dict)  # enterprise index → gig form of a platform
    unions: int = 0
    chairs: int = 0
    assignments: int = 0


def district_places(tree: TreeSeed) -> dict[str, DistrictPlace]:
    """Read district centres and safe radii; attach each district's unions."""
    places = {}
    for row in read_csv("area_centers.csv"):
        code = row["code"]
        district = tree.districts[code]
        places[code] = DistrictPlace(
            code=code,
            name=row["name"],
            lng=float(row["lng"]),
            lat=float(row["lat"]),
            radius_km=float(row["safe_radius_km"]),
            streets=tree.streets.get(code) or [district],
            district=district,
        )
    return places


def enterprise_quota(tree: TreeSeed, total: int = ENTERPRISE_TOTAL) -> dict[str, int]:
    """Enterprises per district: by population, and never fewer than the district's cadres."""
    quota = cadre_quota(total)
    return {code: max(quota[code], len(tree.cadres.get(code, []))) for code in tree.districts}


def point_in_circle(rng: random.Random, place: DistrictPlace) -> tuple[Decimal, Decimal]:
    """A uniform random point within 98% of the district's safe radius (6 decimals)."""
    r = place.radius_km * 0.98 * math.sqrt(rng.random())
    theta = rng.random() * 2 * math.pi
    dlat = r * math.sin(theta) / KM_PER_DEGREE
    dlng = r * math.cos(theta) / (KM_PER_DEGREE * math.cos(math.radians(place.lat)))
    return Decimal(f"{place.lng + dlng:.6f}"), Decimal(f"{place.lat + dlat:.6f}")


def distance_km(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle (haversine) distance between two points, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _org_code(rng: random.Random) -> str:
    """A 9-character GB 11714 organization code ("MA" + 6 characters + its check character)."""
    body = "MA" + "".join(rng.choice(USCC_CHARSET) for _ in range(6))
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def uscc_for(rng: random.Random, ownership: str, district_code: str, used: set[str]) -> str:
    """A valid, unused USCC: registration authority and type, the district code, an org code."""
    prefix = {Ownership.INDIVIDUAL: "92", Ownership.SOCIAL: "52"}.get(ownership, "91")  # type: ignore[call-overload]
    while True:
        code = make_uscc(f"{prefix}{district_code}{_org_code(rng)[:9]}")
        if code not in used:
            used.add(code)
            return code


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng: random.Random, place: DistrictPlace, industry: str, ownership: str, used: set[str]) -> str:
    words = INDUSTRIES[industry][1]
    for attempt in range(50):
        trade, word = rng.choice(TRADE_NAMES), rng.choice(words)
        if ownership == Ownership.INDIVIDUAL:
            name = f"{place.name}{rng.choice('王李张刘陈杨赵周吴孙马朱')}记{word}店"
        elif ownership == Ownership.SOCIAL:
            name = f"西安市{place.name}{trade}{word}服务中心"
        elif ownership == Ownership.STATE:
            name = f"西安{trade}{word}集团有限公司"
        else:
            suffix = "股份有限公司" if ownership == Ownership.MIXED else "有限公司"
            name = f"西安{trade}{word}{suffix}"
        if attempt > 20:
            name = name.replace("有限公司", f"{place.name}分公司") if "公司" in name else f"{name}（{attempt}）"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of demo enterprise names")


def _address(rng: random.Random, place: DistrictPlace, street: UnionOrg) -> str:
    street_name = street.area.name if street.level == OrgLevel.STREET else ""
    return f"西安市{place.name}{street_name}{rng.choice(ROADS)}{rng.randint(1, 399)}号"


def _enterprise(
    rng: random.Random, place: DistrictPlace, platform: tuple[str, str, str, str] | None, used: dict[str, set[str]]
) -> Enterprise:
    street = rng.choice(place.streets)
    ownership: str
    size: str
    if platform is not None:
        brand, pattern, _form, industry = platform
        ownership, size = Ownership.PRIVATE, rng.choice((SizeClass.MEDIUM, SizeClass.LARGE))
        base = name = pattern.format(brand=brand, district=place.name)
        while name in used["name"]:
            name = f"{base}第{len(used['name']) % 97 + 2}分部"
        used["name"].add(name)
    else:
        ownership = _pick(rng, OWNERSHIP_WEIGHTS)
        size = SizeClass.MICRO if ownership == Ownership.INDIVIDUAL else _pick(rng, SIZE_WEIGHTS)
        if ownership == Ownership.SOCIAL:
            industry = Industry.S
            words = ("社会工作", "公益", "行业协会")
            name = f"西安市{place.name}{rng.choice(TRADE_NAMES)}{rng.choice(words)}服务中心"
            name = name if name not in used["name"] else f"{name}{len(used['name'])}"
            used["name"].add(name)
        else:
            industry = _pick(rng, {k: v[0] for k, v in INDUSTRIES.items()})
            if ownership == Ownership.INDIVIDUAL:
                industry = rng.choice((Industry.F, Industry.H, Industry.O))
            name = _name(rng, place, industry, ownership, used["name"])
    low, high = SIZE_EMPLOYEES[size]
    lng, lat = point_in_circle(rng, place)
    return Enterprise(
        name=name,
        uscc=uscc_for(rng, ownership, place.code, used["uscc"]),
        ownership=ownership,
        size_class=size,
        is_platform=platform is not None,
        industry=industry,
        area=street.area,
        address=_address(rng, place, street),
        lng=lng,
        lat=lat,
        org=street,
        contact_name=person_name(rng),
        contact_phone=f"029-8{rng.randint(0, 9999999):07d}",
        employee_count=int(low * (high / low) ** rng.random()),  # log-uniform: most are near the low end
    )


def enterprises_build(rng: random.Random, tree: TreeSeed, places: dict[str, DistrictPlace]) -> EnterpriseSeed:
    """Draw the enterprises of every district (not saved); platform branches first in each district."""
    out = EnterpriseSeed()
    used: dict[str, set[str]] = {"name": set(), "uscc": set()}
    for code, count in enterprise_quota(tree).items():
        place = places[code]
        platforms = max(1, round(count * PLATFORM_SHARE))
        offset = rng.randrange(len(PLATFORMS))
        for i in range(count):
            platform = PLATFORMS[(offset + i) % len(PLATFORMS)] if i < platforms else None
            enterprise = _enterprise(rng, place, platform, used)
            if platform is not None:
                out.gig_form[len(out.enterprises)] = platform[2]
            out.enterprises.append(enterprise)
    return out


def enterprises_register(drafts: list[Enterprise]) -> list[Enterprise]:
    """Register the drawn enterprises through `enterprise_bulk_register` (its checks, an audit entry each)."""
    rows = [
        EnterpriseData(
            name=e.name, uscc=e.uscc, ownership=e.ownership, size_class=e.size_class, is_platform=e.is_platform,
            industry=e.industry, area=e.area, address=e.address, lng=e.lng, lat=e.lat, org=e.org, union=e.union,
            contact_name=e.contact_name, contact_phone=e.contact_phone, employee_count=e.employee_count,
        )
        for e in drafts
    ]  # fmt: skip
    outcome = enterprise_bulk_register(actor=None, rows=rows)
    refused = [(row.record, row.error) for row in outcome if row.error is not None]
    if refused:
        raise RuntimeError(f"demo enterprises refused by the registry: {refused[:3]}")
    return [row.record for row in outcome if row.record is not None]


def unions_create(rng: random.Random, seed: EnterpriseSeed) -> None:
    """Give ~55% of enterprises their own union (platform branches always), under their street union."""
    chosen = [e for e in seed.enterprises if e.is_platform or rng.random() < UNION_CHANCE[e.size_class]]
    unions = [
        UnionOrg(name=f"{e.name}工会委员会", level=OrgLevel.ENTERPRISE, area=e.area, parent=e.org, path=f"tmp-demo-{i}")
        for i, e in enumerate(chosen)
    ]
    UnionOrg.objects.bulk_create(unions, batch_size=500)
    for union in unions:
        assert union.parent is not None
        union.path = f"{union.parent.path}{union.pk}/"
        union.depth = union.parent.depth + 1
    UnionOrg.objects.bulk_update(unions, ["path", "depth"], batch_size=500)
    for enterprise, union in zip(chosen, unions, strict=True):
        enterprise.union = union
        enterprise.org = union
    seed.unions = len(unions)


def chairs_create(rng: random.Random, tree: TreeSeed, seed: EnterpriseSeed, places: dict[str, DistrictPlace]) -> None:
    """One enterprise union chair per district, with the demo password; the 阎良区 one is a demo login."""
    template = StaffUser.objects.filter(role=Role.CADRE).order_by("username").first()
    password = template.password if template is not None else "!"
    chairs = []
    for code, slug in DISTRICT_SLUGS.items():
        candidates = [e for e in seed.enterprises if e.union is not None and e.area.code.startswith(code)]
        if not candidates:
            continue
        enterprise = rng.choice(candidates)
        chair = StaffUser(
            username=f"{slug}_chair",
            display_name=person_name(rng),
            role=Role.ENTERPRISE_CHAIR,
            org=enterprise.union,
            password=password,
        )
        chairs.append(chair)
        if code == "610114":
            tree.logins.append(("企业工会主席", chair.username, str(enterprise.union)))
    StaffUser.objects.bulk_create(chairs)
    seed.chairs = len(chairs)


def assignments_create(rng: random.Random, tree: TreeSeed, seed: EnterpriseSeed, today: date) -> None:
    """一人一企: pair each cadre with one enterprise of the district, in the cadre's street when possible."""
    by_district: dict[str, list[Enterprise]] = {}
    for enterprise in seed.enterprises:
        by_district.setdefault(enterprise.area.code[:6], []).append(enterprise)
    rows = []
    for code, cadres in tree.cadres.items():
        pool = list(by_district.get(code, []))
        rng.shuffle(pool)
        for cadre in cadres:
            street_area = cadre.org.area_id if cadre.org is not None else None
            match = next((e for e in pool if e.area_id == street_area), None) or (pool[0] if pool else None)
            if match is None:
                raise RuntimeError(f"区县 {code} 的企业少于工会干部")
            pool.remove(match)
            since = today - timedelta(days=rng.randint(30, 900))
            rows.append(EnterpriseAssignment(enterprise=match, cadre=cadre, since=since))
    EnterpriseAssignment.objects.bulk_create(rows, batch_size=2000)
    seed.assignments = len(rows)
