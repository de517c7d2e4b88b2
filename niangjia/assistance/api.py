"""帮扶申请 API, scoped like the pages."""

from __future__ import annotations

from ninja import Router

router = Router()
