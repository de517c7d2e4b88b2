"""走访活动 API, scoped like the pages: one router for the part, sub-routers by subject."""

from __future__ import annotations

from ninja import Router

from niangjia.outreach.api.campaigns import router as campaigns_router
from niangjia.outreach.api.pairing import router as pairing_router
from niangjia.outreach.api.progress import router as progress_router
from niangjia.outreach.api.visits import router as visits_router

router = Router()
router.add_router("", campaigns_router)
router.add_router("", pairing_router)
router.add_router("", visits_router)
router.add_router("", progress_router)
