"""The bounds on reading an uploaded file, from settings (docs/import.md, "Bounds")."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class ReadLimits:
    """How much an import file may hold, and what its Excel reader may spend."""

    max_rows: int
    max_columns: int
    max_unpacked_bytes: int
    max_ratio: int
    memory_bytes: int
    seconds: float

    def for_child(self, kind: str) -> dict[str, Any]:
        """The limits as the sandboxed reader takes them (JSON-ready)."""
        return {**asdict(self), "kind": kind, "cpu_seconds": max(1, math.ceil(self.seconds))}


def read_limits() -> ReadLimits:
    """The configured limits (settings NIANGJIA_IMPORT_MAX_ROWS and the others beside it)."""
    return ReadLimits(
        max_rows=int(settings.NIANGJIA_IMPORT_MAX_ROWS),
        max_columns=int(settings.NIANGJIA_IMPORT_MAX_COLUMNS),
        max_unpacked_bytes=int(settings.NIANGJIA_IMPORT_MAX_UNPACKED_BYTES),
        max_ratio=int(settings.NIANGJIA_IMPORT_MAX_RATIO),
        memory_bytes=int(settings.NIANGJIA_IMPORT_READER_MEMORY_BYTES),
        seconds=float(settings.NIANGJIA_IMPORT_READER_SECONDS),
    )


def count_text(number: int) -> str:
    """A large count the Chinese way: 17179869184 → "171 亿", 250000 → "25 万"."""
    if number >= 10**8:
        return f"{number // 10**8} 亿"
    if number >= 10**4:
        return f"{number // 10**4} 万"
    return str(number)


def bounds_text(limits: ReadLimits) -> str:
    """ "最多 200000 行、200 列"."""
    return f"最多 {limits.max_rows} 行、{limits.max_columns} 列"
