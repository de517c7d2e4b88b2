"""One person, one record; protected identifiers; search; merge; reveal."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from niangjia.core.models import AuditEntry
from niangjia.registry import selectors
from niangjia.registry.identity import ID_NUMBER, read_protected
from niangjia.registry.models import Employment, Worker
from niangjia.registry.services import WorkerData, reveal, worker_merge, worker_register
from niangjia.registry.tests.conftest import YL_ID, YL_PHONE


def test_same_id_links_to_existing_person_and_records_changes(tree, registry):
    full_width = YL_ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    worker, created, changes = worker_register(
        actor=tree.yanliang_staff,
        data=WorkerData(name="冯建民", id_number=full_width, phone="138 1234 9999", enterprise=registry.yl_enterprise2),
    )
    assert not created and worker.pk == registry.yl_worker.pk
    assert set(changes) == {"phone", "employment"}
    assert Worker.objects.filter(name="冯建民").count() == 1
    entry = AuditEntry.objects.filter(action="registry.worker.change", target_id=str(worker.pk)).latest("id")
    assert entry.old_values["phone"] == "138****5678" and entry.new_values["phone"] == "138****9999"
    assert Employment.objects.filter(worker=worker, end_date__isnull=True).count() == 2


def test_registering_the_same_data_again_changes_nothing(tree, registry):
    before = AuditEntry.objects.count()
    _, created, changes = worker_register(
        actor=tree.yanliang_staff,
        data=WorkerData(name="冯建民", id_number=YL_ID, phone=YL_PHONE, enterprise=registry.yl_enterprise),
    )
    assert (created, changes) == (False, {})
    assert AuditEntry.objects.count() == before


def test_identifiers_are_stored_encrypted_masked_and_hashed(registry):
    w = Worker.objects.get(pk=registry.yl_worker.pk)
    assert YL_ID not in w.id_number_enc and w.id_number_enc.startswith("v1.")
    assert w.id_number_masked == YL_ID[:4] + "*" * 10 + YL_ID[-4:]
    assert w.phone_masked == "138****5678"
    assert read_protected(w, ID_NUMBER) == YL_ID
    assert (w.birth_date, w.sex) == (date(1985, 3, 7), "M")


def test_bad_id_is_refused_with_chinese_message(tree, registry):
    bad = YL_ID[:-1] + ("0" if YL_ID[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="校验不通过"):
        worker_register(actor=None, data=WorkerData(name="某人", id_number=bad, enterprise=registry.yl_enterprise))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("冯建民", {"冯建民"}),
        ("冯", {"冯建民"}),
        ("fjm", {"冯建民"}),
        ("zl", {"曾丽"}),
        (YL_ID[-4:], {"冯建民"}),
        ("5678", {"冯建民"}),
        (YL_ID, {"冯建民"}),
        (YL_ID.lower(), {"冯建民"}),
        ("+86 138-1234-5678", {"冯建民"}),
        (YL_PHONE, {"冯建民"}),
        ("王芳", set()),
    ],
)
def test_search(tree, registry, query, expected):
    found = {w.name for w in selectors.worker_search(user=tree.yanliang_staff, q=query)}
    assert found == expected


def test_search_by_enterprise(tree, registry):
    found = selectors.worker_search(user=tree.yanliang_staff, q="zl", enterprise_id=registry.yl_enterprise.pk)
    assert found == []


def test_reveal_needs_permission_and_is_audited(tree, registry):
    assert reveal(actor=tree.yanliang_staff, obj=registry.yl_worker, field="id_number") == YL_ID
    entry = AuditEntry.objects.filter(action="core.reveal").latest("id")
    assert (entry.actor_id, entry.target_id, entry.new_values) == (
        tree.yanliang_staff.pk,
        str(registry.yl_worker.pk),
        {"field": "id_number"},
    )
    with pytest.raises(PermissionDenied):
        reveal(actor=tree.yanta_staff, obj=registry.yl_worker, field="phone")
    with pytest.raises(PermissionDenied):
        reveal(actor=tree.yanliang_cadre2, obj=registry.yl_worker, field="phone")


def test_web_reveal_shows_value_and_audits(client, tree, registry):
    client.force_login(tree.yanliang_cadre)
    page = client.get(f"/registry/workers/{registry.yl_worker.pk}/").content.decode()
    assert YL_ID not in page and registry.yl_worker.id_number_masked in page
    response = client.post(f"/registry/reveal/worker/{registry.yl_worker.pk}/id_number/")
    assert YL_ID in response.content.decode()
    assert AuditEntry.objects.filter(action="core.reveal", actor=tree.yanliang_cadre).count() == 1


def test_merge_people_entered_without_id(tree, registry):
    dup, _, _ = worker_register(
        actor=None, data=WorkerData(name="冯建民", phone="13811110000", enterprise=registry.yl_enterprise2)
    )
    keep = worker_merge(actor=tree.yanliang_staff, keep=registry.yl_worker, duplicate=dup)
    dup.refresh_from_db()
    assert dup.merged_into_id == keep.pk
    assert Employment.objects.filter(worker=keep, enterprise=registry.yl_enterprise2).exists()
    assert [w.pk for w in selectors.worker_search(user=tree.yanliang_staff, q="fjm")] == [keep.pk]


def test_merge_refuses_two_different_ids(tree, registry):
    with pytest.raises(ValidationError, match="不是同一人"):
        worker_merge(actor=tree.city_admin, keep=registry.yl_worker, duplicate=registry.yl_worker2)


def test_refused_facts_update_writes_no_empty_circumstances(tree, registry):
    from django.core.exceptions import ValidationError as DjangoValidationError

    from niangjia.registry.models import HouseholdCircumstances, MemberCircumstances
    from niangjia.registry.services import HouseholdFacts, MemberFacts, household_facts_update, member_facts_update

    household = registry.yt_household
    HouseholdCircumstances.objects.filter(household=household).delete()
    with pytest.raises(DjangoValidationError):
        household_facts_update(actor=None, household=household, facts=HouseholdFacts(homes_owned=-1))
    assert not HouseholdCircumstances.objects.filter(household=household).exists()
    head = household.members.get(relation="head")
    MemberCircumstances.objects.filter(member=head).delete()
    with pytest.raises(DjangoValidationError):
        member_facts_update(actor=None, member=head, facts=MemberFacts(disability_grade=-2))
    assert not MemberCircumstances.objects.filter(member=head).exists()
