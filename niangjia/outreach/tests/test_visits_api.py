"""The visits API: the phone's sync (idempotent on client_id), photos, the offline list, conflicts; scoped."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from niangjia.outreach.models import FactConflict, Visit, VisitPhoto
from niangjia.outreach.tests.visits_fixtures import World, client_for, new_id, visit_urls, world
from niangjia.tickets.models import Ticket

__all__ = ["visit_urls", "world"]
pytestmark = pytest.mark.usefixtures("visit_urls")


def _payload(world: World, **fields: Any) -> dict[str, Any]:
    return {
        "client_id": str(new_id()),
        "campaign_id": world.campaign.pk,
        "kind": "home",
        "date": timezone.localdate().isoformat(),
        "household_id": world.household.pk,
        "people_met": 2,
        "basic_clear": True,
        "satisfaction": 4,
        "needs": [{"kind": "need", "title": "希望参加技能培训", "category": "skills"}],
    } | fields


def _post(client: Any, url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_a_sync_retried_answers_the_visit_it_created(world: World) -> None:
    client = client_for(world.tree.yanliang_cadre)
    child = world.member("冯小雨")
    body = _payload(
        world,
        signals=[
            {
                "kind": "school_start",
                "member_id": child.pk,
                "values": {"school_stage": "undergraduate"},
                "base": {"work_status": "", "school_stage": ""},
            }
        ],
    )
    status, created = _post(client, "/api/outreach/visits/sync", body)
    assert status == 201, created
    assert created["client_id"] == body["client_id"] and created["kind"] == "home"
    assert created["signals"] == [
        {
            "kind": "school_start",
            "member_id": child.pk,
            "applied": ["admission_kind", "admission_year", "school_stage", "work_status"],
        }
    ]
    assert len(created["ticket_ids"]) == 1 and created["conflicts"] == 0
    status, again = _post(client, "/api/outreach/visits/sync", body)
    assert (status, again["id"], again["ticket_ids"]) == (200, created["id"], created["ticket_ids"])
    assert (Visit.objects.count(), Ticket.objects.count()) == (1, 1)
    assert client.get(f"/api/outreach/visits/{created['id']}").json()["ticket_ids"] == created["ticket_ids"]
    assert client_for(world.tree.yanta_staff).get(f"/api/outreach/visits/{created['id']}").status_code == 404


def test_out_of_scope_and_bad_input_write_nothing(world: World) -> None:
    body = _payload(world)
    status, refused = _post(client_for(world.tree.yanliang_cadre2), "/api/outreach/visits/sync", body)
    assert (status, refused["error"]["code"]) == (404, "not_found")
    status, refused = _post(client_for(world.tree.yanta_staff), "/api/outreach/visits/sync", body)
    assert status == 404
    status, refused = _post(client_for(world.tree.yanliang_leader), "/api/outreach/visits/sync", body)
    assert status == 404  # a leader may change no household
    status, refused = _post(
        client_for(world.tree.yanliang_cadre), "/api/outreach/visits/sync", body | {"satisfaction": 9}
    )
    assert status == 422 and "satisfaction" in refused["error"]["message"]
    status, refused = _post(
        client_for(world.tree.yanliang_cadre),
        "/api/outreach/visits/sync",
        body | {"signals": [{"kind": "job_loss", "member_id": world.member("冯建民").pk, "values": {"x": 1}}]},
    )
    assert status == 422 and "不填写这些情况" in refused["error"]["message"]
    status, refused = _post(
        client_for(world.tree.yanliang_cadre),
        "/api/outreach/visits/sync",
        body | {"recorded_at": "2999-01-01T00:00:00Z"},
    )
    assert status == 422 and "填写时间" in refused["error"]["message"]
    assert (Visit.objects.count(), Ticket.objects.count()) == (0, 0)


def test_the_offline_list_holds_what_the_form_prefills_within_scope(world: World) -> None:
    cadre = client_for(world.tree.yanliang_cadre)
    url = f"/api/outreach/visits/targets?campaign_id={world.campaign.pk}"
    found = cadre.get(url).json()
    assert [e["name"] for e in found["enterprises"]] == ["阎良餐饮有限公司"]
    [household] = found["households"]
    assert household["label"] == "冯建民家"
    assert [(m["name"], m["relation"]) for m in household["members"]] == [("冯建民", "户主"), ("冯小雨", "子女")]
    assert household["members"][1]["facts"]["monthly_income"] == "0.00"
    assert household["last"] is None
    _post(cadre, "/api/outreach/visits/sync", _payload(world, people_met=3, people_notes="冯建民"))
    household = cadre.get(url).json()["households"][0]
    assert (household["last"]["people_met"], household["last"]["basic_clear"]) == (3, True)
    # Yanta's staff take part in the city's campaign: their own households, none of Yanliang's.
    yanta = client_for(world.tree.yanta_staff).get(url).json()
    assert (yanta["enterprises"], [h["label"] for h in yanta["households"]]) == ([], ["王芳家"])
    assert client_for(world.tree.yanliang_cadre2).get(url).json()["households"] == []


def _jpeg_with_exif(width: int = 3000, height: int = 2000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90°
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_checked_resized_stripped_and_stored_once(world: World) -> None:
    client = client_for(world.tree.yanliang_cadre)
    _status, visit = _post(client, "/api/outreach/visits/sync", _payload(world))
    url = f"/api/outreach/visits/{visit['client_id']}/photos"
    photo_id = str(new_id())
    upload = SimpleUploadedFile("p.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(url, {"photo_id": photo_id, "photo": upload})
    assert response.status_code == 201, response.content
    stored = VisitPhoto.objects.get()
    assert (stored.width, stored.height) == (1067, 1600)  # turned upright by its EXIF orientation, then fitted
    with stored.image.open("rb") as handle:
        image = Image.open(handle)
        assert image.format == "JPEG" and not image.getexif()
    again = client.post(url, {"photo_id": photo_id, "photo": SimpleUploadedFile("p.jpg", _jpeg_with_exif(40, 30))})
    assert again.status_code == 200 and VisitPhoto.objects.count() == 1
    junk = client.post(url, {"photo_id": str(new_id()), "photo": SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>")})
    assert junk.status_code == 422 and "照片无法识别" in junk.json()["error"]["message"]
    other = client_for(world.tree.yanta_staff).post(
        url, {"photo_id": str(new_id()), "photo": SimpleUploadedFile("p.jpg", _jpeg_with_exif(40, 30))}
    )
    assert other.status_code == 404 and VisitPhoto.objects.count() == 1
    page = client.get(f"/outreach/visits/photos/{stored.pk}/")
    assert page.status_code == 200 and page["Content-Type"] == "image/jpeg"
    assert client_for(world.tree.yanta_staff).get(f"/outreach/visits/photos/{stored.pk}/").status_code == 404


def test_conflicts_are_listed_and_settled_through_the_api(world: World) -> None:
    cadre = client_for(world.tree.yanliang_cadre)
    child = world.member("冯小雨")
    school = {"kind": "school_start", "member_id": child.pk, "values": {"school_stage": "primary"},
              "base": {"work_status": ""}}  # fmt: skip
    job = {"kind": "job_loss", "member_id": child.pk, "base": {"work_status": ""}}
    _post(cadre, "/api/outreach/visits/sync", _payload(world, needs=[], signals=[school]))
    status, second = _post(cadre, "/api/outreach/visits/sync", _payload(world, needs=[], signals=[job]))
    assert (status, second["conflicts"]) == (201, 1)
    listed = cadre.get("/api/outreach/conflicts").json()
    assert [(c["fact"], c["base"], c["current"], c["proposed"]) for c in listed] == [
        ("work_status", "", "student", "unemployed")
    ]
    pk = listed[0]["id"]
    assert client_for(world.tree.yanta_staff).get("/api/outreach/conflicts").json() == []
    assert client_for(world.tree.yanliang_leader).get("/api/outreach/conflicts").status_code == 403
    status, _refused = _post(
        client_for(world.tree.yanta_staff), f"/api/outreach/conflicts/{pk}/resolve", {"choice": "proposed"}
    )
    assert status == 404
    status, settled = _post(
        client_for(world.tree.yanliang_staff), f"/api/outreach/conflicts/{pk}/resolve", {"choice": "current"}
    )
    assert (status, settled["status"], settled["choice"]) == (200, "resolved", "current")
    child.refresh_from_db()
    assert child.work_status == "student" and FactConflict.objects.get().status == "resolved"
