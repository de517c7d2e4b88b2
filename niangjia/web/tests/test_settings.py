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
        "NIANGJIA_TRUSTED_PROXIES": "127.0.0.1",
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
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans"]


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


def _settings_in_subprocess(env_overrides: dict[str, str], expression: str) -> str:
    env = {**os.environ, **env_overrides}
    for leftover in ("DEBUG", "NIANGJIA_ENV", "NIANGJIA_API_DOCS_PUBLIC", "NIANGJIA_TRUSTED_PROXIES"):
        if leftover not in env_overrides:
            env.pop(leftover, None)
    code = f"import niangjia.settings as s; print({expression})"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_debug_is_off_unless_asked_for():
    assert _settings_in_subprocess({}, "s.DEBUG") == "False"
    assert _settings_in_subprocess({"DEBUG": "1"}, "s.DEBUG") == "True"


def test_api_docs_are_public_in_development_only():
    assert _settings_in_subprocess({}, "s.NIANGJIA_API_DOCS_PUBLIC") == "True"
    production = {"NIANGJIA_ENV": "production", "SECRET_KEY": "x" * 60}
    assert _settings_in_subprocess(production, "s.NIANGJIA_API_DOCS_PUBLIC") == "False"


def test_trusted_proxies_are_checked_at_startup():
    assert (
        _settings_in_subprocess({"NIANGJIA_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}, "s.NIANGJIA_TRUSTED_PROXIES")
        == "['127.0.0.1', '10.0.0.0/8']"
    )
    env = {**os.environ, "NIANGJIA_TRUSTED_PROXIES": "nginx.local"}
    proc = subprocess.run(
        [sys.executable, "-c", "import niangjia.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode != 0 and "'nginx.local' is not an IP address or network" in proc.stderr


def test_collectstatic_succeeds_in_production_mode(tmp_path):
    """Hashed names need every file a stylesheet or script refers to (a missing source map fails it)."""
    env = {
        **os.environ,
        "NIANGJIA_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "niangjia", "collectstatic", "--no-input", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
