"""Top-level URLs: the web pages of each app and the API."""

from django.urls import include, path

from niangjia.api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("registry/", include("niangjia.registry.urls")),
    path("screening/", include("niangjia.screening.urls")),
    path("", include("niangjia.web.urls")),
]
