"""帮扶资金 API, scoped like the pages."""

from __future__ import annotations

from ninja import Router

router = Router()
