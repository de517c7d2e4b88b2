"""Fixtures of tickets: the shared tree and small registry; uploads stored in a folder of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from niangjia.registry.tests.conftest import Registry, build_registry


@pytest.fixture
def registry(tree) -> Registry:  # type: ignore[no-untyped-def]
    return build_registry(tree)


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """MEDIA_ROOT in the test's temporary folder: uploads never land in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def stored_files(root: Path) -> list[Path]:
    """Every file under `root` (what an upload wrote)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
