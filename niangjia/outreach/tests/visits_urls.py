"""The site's URLs with the visit pages and API mounted, until the shared URL and API lines include them.

Test modules of visits set `ROOT_URLCONF` to this module (fixture `visit_urls`). Once niangjia/urls.py
includes `niangjia.outreach.urls_visits` and the outreach API mounts the visits router, this module
only repeats them.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from django.urls import include, path
from ninja import NinjaAPI, Router

from niangjia import urls as site
from niangjia.api import api
from niangjia.outreach import urls as outreach_urls
from niangjia.outreach import urls_visits


def _visits_api() -> ModuleType:
    name = "niangjia.outreach.api.visits"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        # outreach/api.py still a module: load the visits router from its file.
        if name in sys.modules:
            return sys.modules[name]
        file = Path(__file__).resolve().parents[1] / "api" / "visits.py"
        spec = importlib.util.spec_from_file_location(name, file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module


router = _visits_api().router


def _mounted(routers: list[tuple[Any, ...]], target: Router) -> bool:
    return any(r is target or _mounted(list(r._routers), target) for _, r, *_rest in routers)


if _mounted(list(api._routers), router):
    test_api = api
else:
    # The site's API with the visits router added (ninja cannot add a router once its URLs exist).
    test_api = NinjaAPI(title=api.title, version=api.version, auth=api.auth, urls_namespace="api", docs_url=None)
    test_api._exception_handlers = dict(api._exception_handlers)
    for prefix, mounted, auth, throttle, tags, name_prefix in api._router_registrations:
        test_api.add_router(prefix, mounted, auth=auth, throttle=throttle, tags=tags, url_name_prefix=name_prefix)
    test_api.add_router("/outreach", router, url_name_prefix="visits")

_names = {p.name for p in outreach_urls.urlpatterns if hasattr(p, "name")}
_patterns = list(outreach_urls.urlpatterns) + [p for p in urls_visits.urlpatterns if p.name not in _names]
urlpatterns = [
    path("api/", test_api.urls),
    path("outreach/", include((_patterns, "outreach"))),
    *[p for p in site.urlpatterns if str(p.pattern) not in ("api/", "outreach/")],
]
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
