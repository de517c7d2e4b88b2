"""Registering a worker and editing a household's facts through the web pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from niangjia.core.identifiers import make_id_number
from niangjia.registry.models import Household, HouseholdCircumstances, MemberCircumstances, Worker
from niangjia.registry.tests.conftest import YL_ID

NEW_ID = make_id_number("610114", date(1993, 4, 5), 77, "F")


def test_register_new_and_existing_worker(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    url = f"/registry/enterprises/{registry.yl_enterprise.pk}/register/"
    assert "登记职工" in client.get(url).content.decode()
    response = client.post(url, {"name": "李娜", "id_number": NEW_ID, "phone": "13912345678", "form": "standard"})
    worker = Worker.objects.get(name="李娜")
    assert response.status_code == 302 and response.url == f"/registry/workers/{worker.pk}/"
    again = client.post(
        url, {"name": "冯建民", "id_number": YL_ID, "phone": "13800000000", "form": "standard"}, follow=True
    )
    assert "已在名册中" in again.content.decode()
    assert Worker.objects.filter(name="冯建民").count() == 1


def test_register_reports_bad_id_on_the_field(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    bad = NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")
    page = client.post(
        f"/registry/enterprises/{registry.yl_enterprise.pk}/register/",
        {"name": "李娜", "id_number": bad, "form": "standard"},
    ).content.decode()
    assert "校验不通过" in page
    assert not Worker.objects.filter(name="李娜").exists()


def test_register_refused_out_of_scope(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    assert client.get(f"/registry/enterprises/{registry.yt_enterprise.pk}/register/").status_code == 404
    client.force_login(tree.yanliang_leader)
    assert (
        client.post(
            f"/registry/enterprises/{registry.yl_enterprise.pk}/register/", {"name": "x", "form": "standard"}
        ).status_code
        == 404
    )


def test_edit_household_facts_keeps_unknown_as_unknown(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    url = f"/registry/households/{registry.yl_household.pk}/edit/"
    before = Household.objects.get(pk=registry.yl_household.pk).facts_changed_at
    response = client.post(
        url,
        {"homes_owned": "1", "owns_shop_or_employs": "0", "private_car_non_work": "", "other_annual_income": "2400.50"},
    )
    assert response.status_code == 302
    facts = HouseholdCircumstances.objects.get(household=registry.yl_household)
    assert facts.owns_shop_or_employs is False and facts.private_car_non_work is None
    assert facts.other_annual_income == Decimal("2400.50")
    assert Household.objects.get(pk=registry.yl_household.pk).facts_changed_at > before


def test_edit_member_income(client, tree, registry):
    client.force_login(tree.yanliang_cadre)
    member = registry.yl_household.members.get(relation="head")
    response = client.post(
        f"/registry/members/{member.pk}/edit/",
        {"work_status": "employed", "able_to_work": "1", "monthly_income": "1800", "major_illness": ""},
    )
    assert response.status_code == 302
    assert MemberCircumstances.objects.get(member=member).monthly_income == Decimal("1800")


def test_leader_cannot_edit_facts(client, tree, registry):
    client.force_login(tree.yanliang_leader)
    assert client.get(f"/registry/households/{registry.yl_household.pk}/edit/").status_code == 403
    member = registry.yl_household.members.get(relation="head")
    assert client.post(f"/registry/members/{member.pk}/edit/", {"monthly_income": "1"}).status_code == 404


def test_cadre_registers_a_worker_at_the_paired_enterprise_only(client, tree, registry):
    client.force_login(tree.yanliang_cadre)
    ok = client.post(
        f"/registry/enterprises/{registry.yl_enterprise.pk}/register/",
        {"name": "李娜", "id_number": NEW_ID, "form": "standard"},
    )
    assert ok.status_code == 302 and Worker.objects.filter(name="李娜").exists()
    other = client.post(
        f"/registry/enterprises/{registry.yl_enterprise2.pk}/register/",
        {"name": "张伟", "id_number": make_id_number("610114", date(1990, 2, 3), 88, "M"), "form": "standard"},
    )
    assert other.status_code == 404 and not Worker.objects.filter(name="张伟").exists()


def test_register_a_household_and_add_members(client, tree, registry):
    from niangjia.orgs.models import Area
    from niangjia.registry.models import HouseholdMember

    client.force_login(tree.yanliang_staff)
    worker = registry.yl_worker2  # has no household yet
    page = client.get(f"/registry/workers/{worker.pk}/").content.decode()
    assert "登记家庭" in page
    form_page = client.get(f"/registry/workers/{worker.pk}/household/new/").content.decode()
    assert "凤凰路街道" in form_page or "街道" in form_page
    area = Area.objects.get(code="610114001")
    response = client.post(f"/registry/workers/{worker.pk}/household/new/", {"area": area.pk})
    head = HouseholdMember.objects.get(worker=worker)
    assert response.status_code == 302 and response.url == f"/registry/households/{head.household_id}/"
    child = make_id_number("610114", date(2012, 6, 1), 9, "F")
    added = client.post(
        f"/registry/households/{head.household_id}/members/new/",
        {"name": "曾小米", "relation": "child", "id_number": child, "school_stage": "primary"},
    )
    assert added.status_code == 302
    member = HouseholdMember.objects.get(name="曾小米")
    assert (member.birth_date, member.sex, member.school_stage) == (date(2012, 6, 1), "F", "primary")
    again = client.post(
        f"/registry/households/{head.household_id}/members/new/",
        {"name": "曾小米", "relation": "child", "id_number": child},
    )
    assert "不能重复登记" in again.content.decode()
    assert HouseholdMember.objects.filter(name="曾小米").count() == 1


def test_household_create_refused_out_of_scope(client, tree, registry):
    client.force_login(tree.yanta_staff)
    assert client.get(f"/registry/workers/{registry.yl_worker2.pk}/household/new/").status_code == 404
    client.force_login(tree.yanliang_leader)
    assert client.get(f"/registry/workers/{registry.yl_worker2.pk}/household/new/").status_code == 404
