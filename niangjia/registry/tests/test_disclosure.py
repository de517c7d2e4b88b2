"""What a masked identifier gives away, and the budget on ways to confirm a guess (issue: outside test).

The attack found: the mask ("6101**********1234") shown beside the full birth date left only the
two district digits hidden; with the check digit about 9 candidates remained, and a search by full
ID number confirmed the right one — 20 of 20 IDs in 29 requests, without a reveal entry.
"""

from __future__ import annotations

import calendar
import re

import pytest
from django.test import Client, override_settings

from niangjia.core.identifiers import id_check_char
from niangjia.core.models import AuditEntry
from niangjia.orgs.services import token_create
from niangjia.registry.tests.conftest import YL_ID, YL_PHONE


def _candidates(masked: str, birth_year: int) -> list[str]:
    """Every valid ID number a viewer could derive from the mask and the birth year shown."""
    head, tail = masked[:4], masked[-4:]
    found = []
    for district in range(100):
        for month in range(1, 13):
            for day in range(1, calendar.monthrange(birth_year, month)[1] + 1):
                first17 = f"{head}{district:02d}{birth_year}{month:02d}{day:02d}{tail[:3]}"
                if id_check_char(first17) == tail[3]:
                    found.append(first17 + tail[3])
    return found


def _bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, raw = token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_what_a_leader_sees_leaves_hundreds_of_candidates(tree, registry):  # type: ignore[no-untyped-def]
    worker = registry.yl_worker
    api = Client().get(f"/api/registry/workers/{worker.pk}", **_bearer(tree.yanliang_leader)).json()
    client = Client()
    client.force_login(tree.yanliang_leader)
    page = client.get(f"/registry/workers/{worker.pk}/").content.decode()

    assert "birth_date" not in api and api["birth_year"] == 1985
    assert api["id_number"] == "6101**********" + YL_ID[-4:]
    # Neither the page nor the household table shows a date of birth.
    assert "1985-03-07" not in page and "1985年3月7日" not in page and "1985 年生" in page
    candidates = _candidates(api["id_number"], api["birth_year"])
    assert YL_ID in candidates
    assert len(candidates) > 1000  # ≈ 100 district codes × 365 days ÷ 11 check characters


@pytest.mark.django_db
@override_settings(NIANGJIA_DISCLOSURES_PER_HOUR=5)
def test_confirming_guesses_by_full_id_search_is_audited_and_stops_at_the_budget(tree, registry):  # type: ignore[no-untyped-def]
    headers = _bearer(tree.yanliang_leader)
    guesses = _candidates("6101**********" + YL_ID[-4:], 1985)[:8]
    answers = [Client().get("/api/registry/workers/search", {"q": guess}, **headers) for guess in guesses]

    assert [a.status_code for a in answers] == [200] * 5 + [429] * 3
    assert answers[-1].json()["error"]["code"] == "too_many_disclosures"
    assert "每小时 5 次" in answers[-1].json()["error"]["message"]
    entries = AuditEntry.objects.filter(action="core.identifier_search", actor=tree.yanliang_leader)
    assert entries.count() == 5
    # The audit log records the search masked: it never holds the number searched for.
    for entry in entries:
        assert not re.search(r"\d{18}|\d{17}X", str(entry.new_values) + entry.target_label)
    # The budget is shared: a reveal is refused too, and writes no entry.
    client = Client()
    client.force_login(tree.yanliang_cadre)
    for _ in range(5):
        assert client.post(f"/registry/reveal/worker/{registry.yl_worker.pk}/phone/").status_code == 200
    refused = client.post(f"/registry/reveal/worker/{registry.yl_worker.pk}/id_number/")
    assert refused.status_code == 429 and "上限" in refused.content.decode()
    assert AuditEntry.objects.filter(action="core.reveal", actor=tree.yanliang_cadre).count() == 5


@pytest.mark.django_db
def test_search_by_phone_and_by_last_four(tree, registry):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(tree.yanliang_staff)

    by_phone = client.get("/registry/workers/", {"q": YL_PHONE}).content.decode()
    by_tail = client.get("/registry/workers/", {"q": YL_ID[-4:]}).content.decode()

    assert "冯建民" in by_phone and "冯建民" in by_tail
    audit = AuditEntry.objects.filter(action="core.identifier_search").get()
    assert audit.new_values == {"kind": "phone", "query": "138****5678", "found": 1}  # the tail search is free


@pytest.mark.django_db
def test_reveal_of_an_unknown_field_is_a_404_not_a_500(tree, registry):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(tree.yanliang_staff)
    assert client.post(f"/registry/reveal/worker/{registry.yl_worker.pk}/password/").status_code == 404
    assert not AuditEntry.objects.filter(action="core.reveal").exists()


def test_candidates_helper_counts_what_it_should() -> None:
    # A sanity check of the attack's arithmetic: one year, one district → about 365/11 numbers.
    per_district = [c for c in _candidates("6101**********0123", 1990) if c[4:6] == "14"]
    assert 25 <= len(per_district) <= 45
    assert all(c.startswith("610114") and c[6:10] == "1990" for c in per_district)
