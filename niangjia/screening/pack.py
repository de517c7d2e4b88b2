"""The published policy pack, loaded once and reloaded when a policy file changes."""

from __future__ import annotations

from pathlib import Path
from threading import Lock

from django.conf import settings

from niangjia.rules import Policy, load_pack

_lock = Lock()
_cache: dict[str, tuple[tuple[tuple[str, float], ...], list[Policy]]] = {}


def _stamp(directory: Path) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((p.name, p.stat().st_mtime) for p in directory.glob("*.yaml")))


def current_policies(directory: Path | None = None) -> list[Policy]:
    """The published policies of the policy directory (settings.NIANGJIA_POLICY_DIR)."""
    directory = Path(directory or settings.NIANGJIA_POLICY_DIR)
    stamp = _stamp(directory)
    with _lock:
        cached = _cache.get(str(directory))
        if cached is None or cached[0] != stamp:
            cached = (stamp, load_pack(directory, published_only=True))
            _cache[str(directory)] = cached
        return cached[1]


def policy_names(policies: list[Policy]) -> dict[str, str]:
    """Policy id → Chinese name."""
    return {p.id: p.name for p in policies}
