"""帮扶资金 API (mounted at /api/funds): the endpoints in `endpoints.py`, their schemas in `schemas.py`."""

from niangjia.funds.api.endpoints import router

__all__ = ["router"]
