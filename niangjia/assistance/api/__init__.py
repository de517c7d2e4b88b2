"""帮扶 API, scoped like the pages: one router for the part, sub-routers by subject."""

from __future__ import annotations

from ninja import Router

from niangjia.assistance.api.applications import router as applications_router
from niangjia.assistance.api.archive import router as archive_router
from niangjia.assistance.api.contacts import router as contacts_router
from niangjia.assistance.api.queue import router as queue_router
from niangjia.assistance.api.rounds import router as rounds_router

router = Router()
router.add_router("", queue_router)
router.add_router("", applications_router)
router.add_router("", archive_router)
router.add_router("", contacts_router)
router.add_router("", rounds_router)
