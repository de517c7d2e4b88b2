"""Top-level URLs: the web pages of each app and the API, and the error pages."""

from django.urls import include, path

from niangjia.api import api

urlpatterns = [
    path("api/", api.urls),
    path("orgs/", include("niangjia.orgs.urls")),
    path("registry/", include("niangjia.registry.urls")),
    path("screening/", include("niangjia.screening.urls")),
    path("outreach/", include("niangjia.outreach.urls")),
    path("funds/", include("niangjia.funds.urls")),
    path("assistance/", include("niangjia.assistance.urls")),
    path("reports/", include("niangjia.reports.urls")),
    path("", include("niangjia.tickets.urls")),
    path("", include("niangjia.web.urls")),
]

# Chinese pages inside the site's layout (JSON under /api/); see niangjia/web/errors.py.
handler403 = "niangjia.web.errors.permission_denied"
handler404 = "niangjia.web.errors.page_not_found"
handler500 = "niangjia.web.errors.server_error"
