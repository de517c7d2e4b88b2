def test_list_top(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    page = client.get("/registry/workers/").content.decode()
    assert "职工名册" in page and "/registry/export/workers/?" in page and "/registry/import/" in page
    client.force_login(tree.yanliang_cadre)
    page = client.get("/registry/enterprises/").content.decode()
    assert "企业名册" in page and "/registry/export/" not in page and 'hx-get="/registry/enterprises/"' in page
