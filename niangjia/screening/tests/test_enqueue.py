"""Queueing a screening is an audited service under the SCREEN action; a household's outcomes start from its scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from niangjia.core.models import AuditEntry
from niangjia.core.scoping import Action, allows
from niangjia.registry.tests.conftest import build_registry
from niangjia.screening import selectors
from niangjia.screening.services import screening_enqueue
from niangjia.screening.tests.test_screening import AS_OF


@pytest.fixture
def registry(tree):  # type: ignore[no-untyped-def]
    return build_registry(tree)


def test_the_screen_action_belongs_to_federation_staff(tree):
    users = (tree.city_admin, tree.yanliang_staff, tree.yanliang_cadre, tree.yanliang_leader)
    assert [allows(user, Action.SCREEN) for user in users] == [True, True, False, False]


def test_enqueue_is_audited_and_bounded_to_the_actors_area(tree, registry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert screening_enqueue(actor=tree.yanliang_staff) == ["610114"]
    assert len(queued) == 1
    entry = AuditEntry.objects.get(action="screening.enqueue")
    assert (entry.actor, entry.new_values["area"], entry.new_values["partitions"]) == (tree.yanliang_staff, "610114", 1)
    with pytest.raises(PermissionDenied):
        screening_enqueue(actor=tree.yanliang_staff, area_prefix="610113")
    with pytest.raises(PermissionDenied):
        screening_enqueue(actor=tree.yanliang_cadre)
    assert AuditEntry.objects.filter(action="screening.enqueue").count() == 1


def test_household_outcomes_start_from_the_users_scope(tree, registry):
    data, outcomes = selectors.household_outcomes(user=tree.yanliang_staff, pk=registry.yl_household.pk, as_of=AS_OF)
    assert data["household"] == registry.yl_household and outcomes
    with pytest.raises(Http404):
        selectors.household_outcomes(user=tree.yanta_staff, pk=registry.yl_household.pk, as_of=AS_OF)
    with pytest.raises(PermissionDenied):
        selectors.household_outcomes(user=tree.yanliang_leader, pk=registry.yl_household.pk, as_of=AS_OF)


def test_worklist_filter_choices_are_scoped(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    page = client.get("/screening/?status=eligible").content.decode()
    assert "selected>结果：符合</option>" in page and ">区县：阎良区</option>" in page and "雁塔" not in page
    assert ">政策：送温暖</option>" in page
