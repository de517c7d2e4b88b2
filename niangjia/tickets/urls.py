from django.urls import path

from niangjia.tickets import hazard_views, views

app_name = "tickets"

# Mounted at the site root: staff pages under tickets/, the public (no login) pages under t/.
urlpatterns = [
    path("tickets/", views.queue_view, name="queue"),
    path("tickets/new/", views.create_view, name="create"),
    path("tickets/report/", views.report_view, name="report"),
    path("tickets/<int:pk>/", views.detail_view, name="detail"),
    path("tickets/<int:pk>/move/", views.move_view, name="move"),
    path("tickets/<int:pk>/transfer/", views.transfer_view, name="transfer"),
    path("tickets/<int:pk>/hazard/triage/", hazard_views.triage_view, name="hazard_triage"),
    path("tickets/<int:pk>/hazard/rectify/", hazard_views.rectify_view, name="hazard_rectify"),
    path("tickets/<int:pk>/hazard/refer/", hazard_views.refer_view, name="hazard_refer"),
    path("tickets/<int:pk>/hazard/checklist/", hazard_views.checklist_view, name="hazard_checklist"),
    path("t/new/", views.public_new_view, name="public_new"),
    path("t/<str:code>/", views.public_status_view, name="public_status"),
]
