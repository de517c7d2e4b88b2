"""The registry demo data: deterministic, valid identifiers never stored in clear, and the campaign's mix."""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import transaction

from niangjia.core.identifiers import validate_id_number, validate_uscc
from niangjia.core.models import AuditEntry
from niangjia.demo.enterprises import distance_km, district_places
from niangjia.demo.orgs import TreeSeed, tree_seed
from niangjia.demo.registry import registry_seed
from niangjia.orgs.choices import OrgLevel
from niangjia.registry.choices import ArchiveLevel, EmploymentForm, Ownership, SizeClass
from niangjia.registry.identity import ID_NUMBER, PHONE, read_protected
from niangjia.registry.models import (
    Document,
    Employment,
    Enterprise,
    EnterpriseAssignment,
    Household,
    HouseholdCircumstances,
    HouseholdMember,
    LifeEvent,
    MemberCircumstances,
    ReceivedAid,
    Worker,
)

TODAY = date(2026, 11, 29)
WORKERS = 2000
MODELS = [Enterprise, EnterpriseAssignment, Worker, Employment, Household, HouseholdCircumstances, HouseholdMember,
          MemberCircumstances, LifeEvent, Document, ReceivedAid]  # fmt: skip


@dataclass
class Demo:
    tree: TreeSeed
    output: str
    first: dict[str, Any]
    second: dict[str, Any]


def _fingerprint() -> dict[str, Any]:
    """Counts per table, the first USCC and names, and a digest of every USCC and ID hash."""
    usccs = list(Enterprise.objects.order_by("pk").values_list("uscc", flat=True))
    hashes = list(Worker.objects.order_by("pk").values_list("id_number_hash", "name"))
    return {
        "counts": {m.__name__: m._default_manager.count() for m in MODELS},
        "first_uscc": usccs[0],
        "first_enterprise": Enterprise.objects.order_by("pk").values_list("name", flat=True)[0],
        "first_worker": hashes[0][1],
        "digest": hashlib.sha256(repr((usccs, hashes)).encode()).hexdigest(),
    }


def _seed() -> tuple[TreeSeed, str]:
    out = io.StringIO()
    tree = tree_seed(seed=7)
    registry_seed(tree=tree, seed=7, workers=WORKERS, stdout=out, today=TODAY)
    return tree, out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    """Seed twice with the same seed (the first run rolled back), keep the second for the tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        with transaction.atomic():
            _seed()
            first = _fingerprint()
            transaction.set_rollback(True)
        tree, output = _seed()
        yield Demo(tree=tree, output=output, first=first, second=_fingerprint())
        transaction.set_rollback(True)


def share(part: int, whole: int) -> float:
    return 100 * part / whole


@pytest.mark.django_db
def test_same_seed_gives_the_same_data(demo: Demo) -> None:
    assert demo.first == demo.second
    assert demo.second["counts"]["Worker"] == WORKERS


@pytest.mark.django_db
def test_summary_has_one_line_per_table(demo: Demo) -> None:
    assert "职工：2,000 人" in demo.output
    assert "企业：" in demo.output and "家庭成员：" in demo.output and "已获帮扶：" in demo.output


@pytest.mark.django_db
def test_every_uscc_is_valid_and_carries_its_district(demo: Demo) -> None:
    rows = list(Enterprise.objects.values_list("uscc", "area__code"))
    assert len(rows) >= 1400
    for uscc, area in rows:
        assert uscc is not None and validate_uscc(uscc) == uscc
        assert uscc[2:8] == area[:6]
    assert len({uscc for uscc, _ in rows}) == len(rows)


@pytest.mark.django_db
def test_identifiers_decrypt_to_valid_numbers(demo: Demo) -> None:
    for worker in Worker.objects.order_by("pk")[:300]:
        value = read_protected(worker, ID_NUMBER)
        assert validate_id_number(value) == value
        assert worker.birth_date == date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        assert worker.sex == ("M" if int(value[16]) % 2 else "F")
        assert 18 <= (TODAY - worker.birth_date).days // 365.25 <= 60
        assert re.fullmatch(r"1[3-9]\d{9}", read_protected(worker, PHONE))
    members = HouseholdMember.objects.filter(worker=None).exclude(id_number_enc="").order_by("pk")[:300]
    for member in members:
        value = read_protected(member, ID_NUMBER)
        assert validate_id_number(value) == value


@pytest.mark.django_db
def test_no_plaintext_identifier_in_worker_columns(demo: Demo) -> None:
    columns = [f.attname for f in Worker._meta.concrete_fields if f.get_internal_type() in ("CharField", "TextField")]
    for worker in Worker.objects.all():
        secrets = {read_protected(worker, ID_NUMBER), read_protected(worker, PHONE)}
        stored = " ".join(str(getattr(worker, name)) for name in columns)
        assert not any(secret in stored for secret in secrets), worker.pk
        assert worker.id_number_masked.count("*") == 10


@pytest.mark.django_db
def test_each_cadre_paired_with_one_enterprise_of_their_district(demo: Demo) -> None:
    cadres = [c for group in demo.tree.cadres.values() for c in group]
    assert len(cadres) == 1400
    pairs = list(EnterpriseAssignment.objects.values_list("cadre_id", "enterprise_id", "enterprise__area__code"))
    assert len(pairs) == 1400
    assert len({c for c, _, _ in pairs}) == 1400 and len({e for _, e, _ in pairs}) == 1400
    district_of = {c.pk: code for code, group in demo.tree.cadres.items() for c in group}
    assert all(area.startswith(district_of[cadre]) for cadre, _, area in pairs)


@pytest.mark.django_db
def test_enterprises_lie_inside_their_district(demo: Demo) -> None:
    places = district_places(demo.tree)
    districts = set()
    for lng, lat, area in Enterprise.objects.values_list("lng", "lat", "area__code"):
        place = places[area[:6]]
        districts.add(place.code)
        assert lng is not None and lat is not None
        assert distance_km(place.lng, place.lat, float(lng), float(lat)) <= place.radius_km
    assert len(districts) == 13


@pytest.mark.django_db
def test_enterprise_mix_and_unions(demo: Demo) -> None:
    total = Enterprise.objects.count()
    ownership = Counter(Enterprise.objects.values_list("ownership", flat=True))
    size = Counter(Enterprise.objects.values_list("size_class", flat=True))
    assert 69 <= share(ownership[Ownership.PRIVATE] + ownership[Ownership.INDIVIDUAL], total) <= 81
    assert 74 <= share(size[SizeClass.SMALL] + size[SizeClass.MICRO], total) <= 86
    assert 2 <= share(Enterprise.objects.filter(is_platform=True).count(), total) <= 5
    with_union = Enterprise.objects.exclude(union=None)
    assert 49 <= share(with_union.count(), total) <= 62
    for enterprise in with_union.select_related("union__parent")[:200]:
        union = enterprise.union
        assert union is not None and union.parent is not None
        assert enterprise.org_id == union.pk
        assert union.level == OrgLevel.ENTERPRISE and union.parent.level == OrgLevel.STREET
        assert union.path == f"{union.parent.path}{union.pk}/"
    assert not Enterprise.objects.filter(union=None).exclude(org__level=OrgLevel.STREET).exists()
    assert ("企业工会主席", "yanliang_chair") in [login[:2] for login in demo.tree.logins]


@pytest.mark.django_db
def test_worker_and_household_mix(demo: Demo) -> None:
    workers = Worker.objects.count()
    assert 80 <= share(Worker.objects.filter(union_member=True).count(), workers) <= 90
    assert 14 <= share(Worker.objects.filter(is_migrant=True).count(), workers) <= 26
    gig = Employment.objects.filter(form__in=EmploymentForm.gig()).count()
    assert 5 <= share(gig, workers) <= 13
    assert Employment.objects.filter(form__in=EmploymentForm.gig(), enterprise__is_platform=False).count() == 0
    sizes = Counter(Counter(HouseholdMember.objects.values_list("household_id", flat=True)).values())
    assert set(sizes) <= {1, 2, 3, 4, 5} and sizes.most_common(1)[0][0] == 3
    households = Household.objects.count()
    levels = Counter(Household.objects.exclude(archive_level="").values_list("archive_level", flat=True))
    assert 2 <= share(sum(levels.values()), households) <= 5.5
    assert levels[ArchiveLevel.RELATIVE] > levels[ArchiveLevel.SUDDEN] > 0 and levels[ArchiveLevel.DEEP] > 0
    overdue = Household.objects.exclude(archive_level="").filter(last_review_date__lt=date(2025, 11, 29))
    assert overdue.exists()
    assert MemberCircumstances.objects.filter(monthly_income=None).exists()
    assert set(ReceivedAid.objects.values_list("policy_id", flat=True)) >= {"warmth", "emergency_relief"}


def test_demo_transfers_through_the_services(demo: Demo) -> None:
    from niangjia.demo.transfers import transfers_seed
    from niangjia.registry.models import WorkerTransfer

    out = io.StringIO()
    with transaction.atomic():
        transfers_seed(tree=demo.tree, seed=7, stdout=out)
        statuses = Counter(WorkerTransfer.objects.values_list("status", flat=True))
        moved = WorkerTransfer.objects.get(status="approved")
        worker = Worker.objects.get(pk=moved.worker_id)
        audited = AuditEntry.objects.filter(action="registry.transfer.request").count()
        transaction.set_rollback(True)

    assert statuses == {"approved": 1, "rejected": 1, "pending": 3}
    assert worker.org_id == moved.to_org_id
    assert audited == 5 and "职工调动申请：5 件" in out.getvalue()
