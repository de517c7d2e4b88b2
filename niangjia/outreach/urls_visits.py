"""URLs of the visit pages; niangjia/outreach/urls.py adds them to the part's (namespace `outreach`)."""

from django.urls import path

from niangjia.outreach.views import progress, visits, workspace

urlpatterns = [
    path("today/", workspace.today_view, name="today"),
    path("sw.js", visits.service_worker_view, name="visit_sw"),
    path("visits/", visits.visit_list_view, name="visit_list"),
    path("visits/record/<int:campaign_id>/", visits.record_view, name="visit_record"),
    path("visits/<int:pk>/", visits.visit_detail_view, name="visit_detail"),
    path("visits/photos/<int:pk>/", visits.photo_view, name="visit_photo"),
    path("conflicts/", visits.conflict_list_view, name="conflict_list"),
    path("conflicts/<int:pk>/", visits.conflict_detail_view, name="conflict_detail"),
    path("conflicts/<int:pk>/resolve/", visits.conflict_resolve_view, name="conflict_resolve"),
    path("progress/", progress.progress_index_view, name="progress_index"),
    path("progress/<int:campaign_id>/", progress.progress_view, name="progress"),
    path("progress/<int:campaign_id>/list/", progress.progress_list_view, name="progress_list"),
]
