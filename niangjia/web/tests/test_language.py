"""Chinese by default; English on request for the shell (navigation, login, home pages)."""

from __future__ import annotations


def test_chinese_by_default_and_english_on_request(client, tree):
    client.force_login(tree.yanliang_staff)
    page = client.get("/").content.decode()
    assert "阎良区总工会 · 工作台" in page and "退出" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "阎良区总工会 · Workbench" in page
    assert "Log out" in page and "District federation staff" in page
    assert '<html lang="en">' in page


def test_login_page_in_english(client, db):
    page = client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert "Staff login" in page and "Password" in page
