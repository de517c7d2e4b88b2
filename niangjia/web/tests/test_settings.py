"""Production mode passes `check --deploy`; development defaults stay safe."""

from __future__ import annotations

import os
import subprocess
import sys

from niangjia.core.crypto import generate_key


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {
        **os.environ,
        "NIANGJIA_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "niangjia.example.org",
        "NIANGJIA_VAR_DIR": str(tmp_path),
        "NIANGJIA_DATA_KEY": f"k1:{generate_key()}",
        "NIANGJIA_HASH_KEY": generate_key(),
    }
    for leftover in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"):
        env.pop(leftover, None)
    proc = subprocess.run(
        [sys.executable, "-m", "niangjia", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert ("en", "English") in [(code, str(label)) for code, label in settings.LANGUAGES]


def test_check_deploy_refuses_missing_data_key(tmp_path):
    env = {
        **os.environ,
        "NIANGJIA_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "niangjia.example.org",
        "NIANGJIA_VAR_DIR": str(tmp_path),
    }
    for leftover in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "NIANGJIA_DATA_KEY", "NIANGJIA_HASH_KEY"):
        env.pop(leftover, None)
    proc = subprocess.run(
        [sys.executable, "-m", "niangjia", "check", "--deploy"], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode != 0
    assert "niangjia.E001" in proc.stderr + proc.stdout
