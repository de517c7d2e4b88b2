"""API: token and session authentication, the OpenAPI document, the error envelope."""

from __future__ import annotations

from niangjia.orgs.models import ApiToken
from niangjia.orgs.services import token_create


def test_token_authentication(client, tree):
    token, raw = token_create(user=tree.yanliang_staff, name="测试")
    assert ApiToken.objects.get(pk=token.pk).digest != raw  # only the digest is stored
    response = client.get("/api/orgs/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["username"] == "yl_staff" and response.json()["org"]["name"] == "阎良区总工会"


def test_bad_or_revoked_token_is_refused_with_envelope(client, tree):
    token, raw = token_create(user=tree.yanliang_staff, name="测试")
    assert client.get("/api/orgs/me", headers={"Authorization": "Bearer nj_wrong"}).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    response = client.get("/api/orgs/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthenticated", "message": "请先登录或提供有效的接口令牌。", "details": None}
    }


def test_session_authentication(client, tree):
    client.force_login(tree.city_admin)
    assert client.get("/api/orgs/me").json()["role"] == "city_admin"


def test_openapi_document_lists_every_part(client, db):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/orgs/me",
        "/api/registry/workers",
        "/api/registry/enterprises",
        "/api/screening/worklist",
        "/api/audit/",
    } <= paths
    assert client.get("/api/docs").status_code == 200


def test_validation_errors_use_the_envelope(client, tree):
    client.force_login(tree.city_admin)
    response = client.post("/api/registry/workers", {"name": ""}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid" and "姓名不能为空" in str(body["details"])
