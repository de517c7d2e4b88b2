"""Odd input answers 422 in Chinese and changes nothing: the outside test's findings, and the ranges.

Ranges are named in niangjia/core/ranges.py (docs/ranges.md); every door applies them:
the API schemas, the services' full_clean() (web forms), and the import's cell parsers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from niangjia.core.models import AuditEntry
from niangjia.core.ranges import DATE_MAX, DATE_MIN, MONEY_MAX
from niangjia.core.tabular.cells import CellError, money, parse_date
from niangjia.orgs.services import token_create
from niangjia.registry.models import Employment, Enterprise, HouseholdCircumstances, MemberCircumstances, Worker
from niangjia.registry.services import HouseholdFacts, MemberFacts, household_facts_update, member_facts_update

ODD_YEARS = ["0520-01-01", "9901-01-01"]


@pytest.fixture
def api(client, tree):  # type: ignore[no-untyped-def]
    _, raw = token_create(user=tree.yanliang_staff, name="测试")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def _refused(response, field: str) -> dict:  # type: ignore[no-untyped-def]
    """Assert a 422 in the envelope whose Chinese message names `field`; return the error."""
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith("提交的数据") and field in error["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"].split(field, 1)[1])
    return error


def _snapshot() -> tuple:  # type: ignore[type-arg]
    return (
        list(Enterprise.objects.order_by("pk").values()),
        list(Worker.objects.order_by("pk").values()),
        list(Employment.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("field", ["contact_phone", "contact_name", "address", "name", "status", "is_platform"])
def test_enterprise_patch_with_null_is_refused(api, registry, field):
    before = _snapshot()
    response = api.patch(
        f"/api/registry/enterprises/{registry.yl_enterprise.pk}", {field: None}, content_type="application/json"
    )
    error = _refused(response, field)
    assert error["details"][0]["field"] == field and error["details"][0]["in"] == "请求体"
    assert _snapshot() == before


def test_enterprise_patch_with_null_uscc_clears_it(api, registry):
    response = api.patch(
        f"/api/registry/enterprises/{registry.yl_enterprise.pk}", {"uscc": None}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["uscc"] is None


def test_enterprise_service_refuses_null_too(tree, registry):
    from niangjia.registry.services import EnterpriseData, enterprise_update

    with pytest.raises(ValidationError) as raised:
        enterprise_update(
            actor=tree.yanliang_staff,
            enterprise=registry.yl_enterprise,
            data=EnterpriseData(contact_phone=None),  # type: ignore[arg-type]
        )
    assert raised.value.message_dict == {"contact_phone": ["不能为空值（null）。"]}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"name": "李娜", "enterprise_id": %d, "contract_months": -1}', "不能小于 0"),
        ('{"name": "李娜", "enterprise_id": %d, "contract_months": 1e20}', "数字过大"),
        ('{"name": "李娜", "enterprise_id": %d, "contract_months": 100000000000000000000}', "不能大于 1200"),
        ('{"name": "李娜", "enterprise_id": %d, "contract_months": 1201}', "不能大于 1200"),
    ],
)
def test_worker_contract_months_out_of_range(api, registry, body, expected):
    before = _snapshot()
    response = api.post("/api/registry/workers", body % registry.yl_enterprise.pk, content_type="application/json")
    error = _refused(response, "contract_months")
    assert expected in error["message"]
    assert _snapshot() == before


@pytest.mark.parametrize("field", ["member_since", "start_date"])
@pytest.mark.parametrize("day", ODD_YEARS)
def test_worker_dates_out_of_range(api, registry, field, day):
    before = _snapshot()
    body = {"name": "李娜", "enterprise_id": registry.yl_enterprise.pk, field: day}
    response = api.post("/api/registry/workers", body, content_type="application/json")
    _refused(response, field)
    assert _snapshot() == before


def test_worker_update_with_odd_values_changes_nothing(api, registry):
    before = _snapshot()
    url = f"/api/registry/workers/{registry.yl_worker.pk}"
    body = {"name": "冯建民", "enterprise_id": registry.yl_enterprise.pk, "contract_months": -1}
    _refused(api.patch(url, body, content_type="application/json"), "contract_months")
    assert _snapshot() == before


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_screening_as_of_out_of_range(api, registry, day):
    response = api.get(f"/api/screening/households/{registry.yl_household.pk}", {"as_of": day})
    error = _refused(response, "as_of")
    assert error["details"] == [
        {
            "in": "查询参数",
            "field": "as_of",
            "type": "greater_than_equal" if day < "1900" else "less_than_equal",
            "message": f"不能小于 {DATE_MIN}。" if day < "1900" else f"不能大于 {DATE_MAX}。",
        }
    ]


@pytest.mark.parametrize("day", [DATE_MIN.isoformat(), DATE_MAX.isoformat()])
def test_screening_as_of_at_the_edges(api, registry, day):
    # A district staff user may not see sensitive outcomes (403) or may (200); never a 500.
    assert api.get(f"/api/screening/households/{registry.yl_household.pk}", {"as_of": day}).status_code in (200, 403)


@pytest.mark.parametrize(
    "path",
    [
        "/api/registry/enterprises/100000000000000000000",
        "/api/registry/workers/9223372036854775808",
        "/api/registry/workers?after_id=100000000000000000000",
        "/api/registry/workers?limit=100000000000000000000",
        "/api/registry/enterprises?after_id=-1",
        "/api/orgs/100000000000000000000",
        "/api/audit/?before_id=100000000000000000000",
        "/api/registry/workers/search?q=a%00b",
    ],
)
def test_huge_ids_and_nul_are_refused(api, registry, path):
    assert api.get(path).status_code == 422


def test_reveal_of_an_unknown_field_answers_without_error(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    member = registry.yl_household.members.exclude(relation="head").get()
    before = AuditEntry.objects.count()
    for url in (
        f"/registry/reveal/worker/{registry.yl_worker.pk}/password/",
        f"/registry/reveal/worker/{registry.yl_worker.pk}/id_number_enc/",
        f"/registry/reveal/member/{member.pk}/phone/",  # a protected field members do not have
        f"/registry/reveal/nobody/{registry.yl_worker.pk}/phone/",
    ):
        response = client.post(url)
        assert response.status_code in (404, 422), url
    assert AuditEntry.objects.count() == before


# Money and dates through the web forms (the services' full_clean) and the import's cells.


def test_household_form_refuses_negative_money(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    url = f"/registry/households/{registry.yl_household.pk}/edit/"
    response = client.post(url, {"homes_owned": "1", "other_annual_income": "-50000"})
    assert response.status_code in (200, 422)
    assert "确保该值大于或等于0" in response.content.decode().replace(" ", "")
    facts = HouseholdCircumstances.objects.get(household=registry.yl_household)
    assert facts.other_annual_income == Decimal("1200.00")


def test_member_form_refuses_money_over_the_maximum(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    member = registry.yl_household.members.get(relation="head")
    response = client.post(f"/registry/members/{member.pk}/edit/", {"monthly_income": "100000000"})
    assert response.status_code in (200, 422) and "确保该值小于或等于" in response.content.decode()
    assert not MemberCircumstances.objects.filter(member=member, monthly_income=Decimal("100000000")).exists()


@pytest.mark.parametrize("day", ODD_YEARS)
def test_register_form_refuses_odd_years(client, tree, registry, day):
    client.force_login(tree.yanliang_staff)
    url = f"/registry/enterprises/{registry.yl_enterprise.pk}/register/"
    before = _snapshot()
    response = client.post(url, {"name": "李娜", "form": "standard", "start_date": day, "member_since": day})
    assert response.status_code == 422
    page = response.content.decode()
    assert "日期不能早于 1900-01-01" in page or "日期不能晚于 2100-12-31" in page
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"other_annual_income": Decimal("-50000")}, "other_annual_income"),
        ({"rigid_medical_12m": MONEY_MAX + 1}, "rigid_medical_12m"),
        ({"homes_owned": 100}, "homes_owned"),
        ({"archived_on": date(520, 1, 1)}, "archived_on"),
        ({"last_review_date": date(9901, 1, 1)}, "last_review_date"),
    ],
)
def test_household_service_refuses_out_of_range(tree, registry, values, field):
    before = list(HouseholdCircumstances.objects.values()), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        household_facts_update(
            actor=tree.yanliang_staff, household=registry.yl_household, facts=HouseholdFacts(**values)
        )
    assert field in raised.value.message_dict
    assert (list(HouseholdCircumstances.objects.values()), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"monthly_income": Decimal("-1")}, "monthly_income"),
        ({"disability_grade": 5}, "disability_grade"),
        ({"admission_year": 520}, "admission_year"),
        ({"birth_date": date(9901, 1, 1)}, "birth_date"),
    ],
)
def test_member_service_refuses_out_of_range(tree, registry, values, field):
    member = registry.yl_household.members.exclude(relation="head").get()
    with pytest.raises(ValidationError) as raised:
        member_facts_update(actor=tree.yanliang_staff, member=member, facts=MemberFacts(**values))
    assert field in raised.value.message_dict


@pytest.mark.parametrize("value", ["0520-01-01", "9901-01-01", "1899-12-31", "2101-1-1", date(520, 1, 1), 2958465])
def test_import_cells_refuse_odd_years(value):
    with pytest.raises(CellError, match="超出范围，应在 1900-01-01 到 2100-12-31 之间"):
        parse_date(value)


def test_import_cells_take_the_edges():
    assert parse_date("1900-01-01") == DATE_MIN and parse_date("2100年12月31日") == DATE_MAX


@pytest.mark.parametrize("value", ["-50000", -50000, "-0.01", "100000000", 1e20])
def test_import_money_refuses_negative_and_huge(value):
    with pytest.raises(CellError, match="超出范围"):
        money(value)


def test_import_money_takes_the_maximum():
    assert money("99,999,999.99") == MONEY_MAX
