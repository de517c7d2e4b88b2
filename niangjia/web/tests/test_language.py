"""The interface is Simplified Chinese only: no language switch, whatever the browser asks for."""

from __future__ import annotations


def test_chinese_whatever_the_browser_asks_for(client, tree):
    client.force_login(tree.yanliang_staff)
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "阎良区总工会 · 工作台" in page and "退出" in page
    assert '<html lang="zh-CN">' in page
    assert "set_language" not in page and "English" not in page


def test_there_is_no_language_switch(client, db):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 404
    page = client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert "登录" in page and "Password" not in page
