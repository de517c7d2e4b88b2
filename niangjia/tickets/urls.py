from django.urls import path

from niangjia.tickets.views import aftercare, files, hazards, public, reports, staff

app_name = "tickets"

# Mounted at the site root: staff pages under tickets/, the public (no login) pages under t/.
urlpatterns = [
    path("tickets/", staff.queue_view, name="queue"),
    path("tickets/new/", staff.create_view, name="create"),
    path("tickets/report/", reports.report_view, name="report"),
    path("tickets/report/export/", reports.report_export_view, name="report_export"),
    path("tickets/<int:pk>/", staff.detail_view, name="detail"),
    path("tickets/<int:pk>/move/", staff.move_view, name="move"),
    path("tickets/<int:pk>/transfer/", staff.transfer_view, name="transfer"),
    path("tickets/<int:pk>/files/", files.attach_view, name="attach"),
    path("tickets/<int:pk>/files/<int:aid>/", files.attachment_view, name="file"),
    path("tickets/<int:pk>/files/<int:aid>/thumb/", files.attachment_view, {"thumb": True}, name="file_thumb"),
    path("tickets/<int:pk>/cooperation/", aftercare.cooperation_start_view, name="cooperation"),
    path(
        "tickets/<int:pk>/cooperation/<int:cid>/finish/", aftercare.cooperation_finish_view, name="cooperation_finish"
    ),
    path("tickets/<int:pk>/followup/", aftercare.followup_view, name="followup"),
    path("tickets/<int:pk>/hazard/triage/", hazards.triage_view, name="hazard_triage"),
    path("tickets/<int:pk>/hazard/rectify/", hazards.rectify_view, name="hazard_rectify"),
    path("tickets/<int:pk>/hazard/refer/", hazards.refer_view, name="hazard_refer"),
    path("tickets/<int:pk>/hazard/checklist/", hazards.checklist_view, name="hazard_checklist"),
    path("t/new/", public.public_new_view, name="public_new"),
    path("t/<str:code>/", public.public_status_view, name="public_status"),
    path("t/<str:code>/photos/<int:aid>/", public.public_photo_view, name="public_photo"),
    path("t/<str:code>/photos/<int:aid>/thumb/", public.public_photo_view, {"thumb": True}, name="public_thumb"),
]
