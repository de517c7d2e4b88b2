"""Dump the whole database and look for any plaintext ID number or phone of the test data."""

from __future__ import annotations

import os
import subprocess

import pytest
from django.db import connection

from niangjia.registry.tests.conftest import CHILD_ID, YL_ID, YL_ID2, YL_PHONE, YT_ID

SECRETS = [YL_ID, YL_ID2, YT_ID, CHILD_ID, YL_PHONE, "13900001111", "13700002222", "6222020200112233445"]


def _dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    command = [
        "pg_dump",
        "--data-only",
        "-h",
        settings["HOST"] or "127.0.0.1",
        "-p",
        str(settings["PORT"] or 5432),
        "-U",
        settings["USER"],
        settings["NAME"],
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.django_db(transaction=True)
def test_no_plaintext_identifier_in_a_full_dump(tree, registry):
    dump = _dump()
    assert "阎良餐饮有限公司" in dump  # the dump really holds the test data
    for secret in SECRETS:
        assert secret not in dump, f"plaintext {secret[:4]}… found in the database dump"
        assert secret[:-4] not in dump
