"""走访活动 API, scoped like the pages."""

from __future__ import annotations

from ninja import Router

router = Router()
