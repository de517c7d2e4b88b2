"""Audit entries: registered names, same transaction, append-only, scoped search."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from niangjia.core.audit import audit_record, audit_reveal
from niangjia.core.context import request_scope
from niangjia.core.models import AuditEntry
from niangjia.core.selectors import audit_search


def test_unregistered_action_is_refused(tree):
    with pytest.raises(ValueError, match="not registered"):
        audit_record(actor=tree.city_admin, action="nobody.made.this")


def test_entry_carries_actor_target_values_request(tree):
    with request_scope(request_id="req-1", ip="10.0.0.9"):
        entry = audit_record(
            actor=tree.yanliang_staff,
            action="orgs.staff.change",
            target=tree.yanliang_cadre,
            old={"role": "cadre"},
            new={"role": "leader"},
        )
    entry.refresh_from_db()
    assert (entry.actor_label, entry.action, entry.target_type, entry.target_id) == (
        "yl_staff",
        "orgs.staff.change",
        "orgs.staffuser",
        str(tree.yanliang_cadre.pk),
    )
    assert entry.old_values == {"role": "cadre"} and entry.new_values == {"role": "leader"}
    assert (entry.request_id, entry.ip, entry.org_path) == ("req-1", "10.0.0.9", tree.yanliang.path)


def test_reveal_api_writes_entry(tree):
    entry = audit_reveal(actor=tree.yanliang_staff, target=tree.yanliang_cadre, field="phone")
    assert entry.action == "core.reveal" and entry.new_values == {"field": "phone"}


@pytest.mark.django_db(transaction=True)
def test_entries_cannot_be_updated_or_deleted(tree):
    entry = audit_record(actor=tree.city_admin, action="orgs.staff.change", target=tree.city_admin)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="core.export")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "orgs.staff.change"


def test_rolled_back_service_leaves_no_entry(tree):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=tree.city_admin, action="orgs.staff.change", target=tree.city_admin)
        raise RuntimeError("service failed after auditing")
    assert AuditEntry.objects.count() == before


def test_search_is_scoped_to_the_admins_subtree(tree):
    audit_record(actor=tree.yanta_staff, action="orgs.staff.change", target=tree.yanta_staff)
    audit_record(actor=tree.yanliang_staff, action="orgs.staff.change", target=tree.yanliang_staff)
    seen_by_yanliang = {e.actor_label for e in audit_search(user=tree.yanliang_staff, action="orgs.staff.change")}
    assert seen_by_yanliang == {"yl_staff"}
    seen_by_city = {e.actor_label for e in audit_search(user=tree.city_admin, action="orgs.staff.change")}
    assert seen_by_city == {"yl_staff", "yt_staff"}
    assert audit_search(user=tree.yanliang_leader) == []


def test_search_page_for_admins_only(client, tree):
    audit_record(actor=tree.yanta_staff, action="orgs.staff.change", target=tree.yanta_staff, target_label="雁塔的人")
    client.force_login(tree.yanliang_staff)
    page = client.get("/audit/?action=orgs.staff.change").content.decode()
    assert "雁塔的人" not in page
    client.force_login(tree.city_admin)
    assert "雁塔的人" in client.get("/audit/?action=orgs.staff.change").content.decode()
    client.force_login(tree.yanliang_cadre)
    assert client.get("/audit/").status_code == 403
    assert client.get("/api/audit/").status_code == 403
