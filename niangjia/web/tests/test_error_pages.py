"""Error pages: Chinese, in the site's layout, with a way back; never a list of URLs, DEBUG or not."""

from __future__ import annotations

import pytest
from django.test import Client

from niangjia.conftest import PASSWORD

WAY_BACK = ("返回首页", "返回上一页")


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def _assert_site_page(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert heading in page and all(link in page for link in WAY_BACK)
    assert "娘家 niangjia</title>" in page and 'class="navbar' in page  # the site's layout
    return page


def test_unknown_url_says_not_found_and_lists_nothing(client, db, debug):
    page = _assert_site_page(client.get("/no/such/page/"), 404, "页面不存在")
    for leak in ("URLconf", "urlpatterns", "registry/", "screening/", "api/", "DEBUG"):
        assert leak not in page, leak


def test_missing_record_raised_by_a_view_gets_the_same_page(client, tree, debug):
    client.force_login(tree.yanliang_staff)
    page = _assert_site_page(client.get("/registry/enterprises/987654/"), 404, "页面不存在")
    assert "Http404" not in page and "Traceback" not in page


def test_forbidden_page(client, tree, debug):
    client.force_login(tree.yanliang_cadre)
    _assert_site_page(client.get("/audit/"), 403, "无权访问")


def test_api_keeps_its_json_envelope(client, tree, debug):
    response = client.get("/api/no/such/endpoint")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "接口不存在。", "details": None}}


def test_server_error_page_without_request_context(settings, db):
    settings.ROOT_URLCONF = "niangjia.web.tests.urls_boom"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in page and "返回首页" in page and 'href="/"' in page
    assert f"<code>{response['X-Request-ID']}</code>" in page
    assert "RuntimeError" not in page and "boom" not in page
    api = client.get("/api/boom/")
    assert api.status_code == 500 and api.json()["error"]["code"] == "server_error"


def test_csrf_failure_page(db, debug):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "yl_staff", "password": PASSWORD})
    page = _assert_site_page(response, 403, "页面已过期，提交未成功")
    assert "CSRF cookie not set" not in page and "Cookie" in page


def test_api_docs_public_in_development(client, db, settings):
    settings.NIANGJIA_API_DOCS_PUBLIC = True
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200


def test_api_docs_behind_login_in_production(client, tree, settings):
    settings.NIANGJIA_API_DOCS_PUBLIC = False
    docs = client.get("/api/docs")
    assert docs.status_code == 302 and docs.url == "/login/?next=/api/docs"
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 401 and schema.json()["error"]["code"] == "unauthenticated"
    client.force_login(tree.yanliang_cadre)
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").json()["info"]["title"] == "娘家 niangjia API"


def test_static_files_are_served_without_debug(client, settings):
    assert settings.DEBUG is False
    response = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    assert response.status_code == 200
