"""统计报表 API: the indicators, scoped like the pages."""

from __future__ import annotations

from ninja import Router

router = Router()
