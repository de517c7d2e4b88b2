"""The site's URLs plus one view that fails, to see the 500 page through the real handler."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from niangjia import urls


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("api/boom/", _boom), *urls.urlpatterns]
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
