from django.urls import path

from niangjia.assistance.views import applications, archive, contacts, queue, rounds

app_name = "assistance"

urlpatterns = [
    path("", queue.queue_view, name="queue"),
    path("export/", queue.export_view, name="export"),
    path("items/<int:pk>/status/", queue.item_status_view, name="item_status"),
    path("households/<int:household_id>/", queue.household_view, name="household"),
    path("households/<int:household_id>/assign/", queue.assign_view, name="assign"),
    path("apply/", applications.apply_view, name="apply"),
    path("applications/", applications.application_list_view, name="applications"),
    path("applications/<int:pk>/", applications.application_view, name="application"),
    path("applications/<int:pk>/move/", applications.move_view, name="application_move"),
    path("applications/<int:pk>/form.pdf", applications.form_pdf_view, name="application_pdf"),
    path("applications/<int:pk>/sheet.pdf", applications.sheet_pdf_view, name="application_sheet"),
    path("papers/<int:pk>/upload/", applications.upload_view, name="paper_upload"),
    path("papers/<int:pk>/receive/", applications.receive_view, name="paper_receive"),
    path("files/<int:pk>/", applications.file_view, name="paper_file"),
    path("archive/", archive.archive_list_view, name="archive_list"),
    path("archive/new/", archive.archive_new_view, name="archive_new"),
    path("archive/<int:pk>/", archive.archive_view, name="archive"),
    path("archive/<int:pk>/move/", archive.archive_move_view, name="archive_move"),
    path("archive/<int:pk>/<slug:step>/", archive.archive_step_view, name="archive_step"),
    path("contacts/", contacts.contact_list_view, name="contacts"),
    path("contacts/new/", contacts.contact_new_view, name="contact_new"),
    path("contacts/<int:pk>/", contacts.contact_view, name="contact"),
    path("contacts/<int:pk>/log/", contacts.contact_log_view, name="contact_log"),
    path("contacts/<int:pk>/end/", contacts.contact_end_view, name="contact_end"),
    path("rounds/", rounds.round_list_view, name="rounds"),
    path("rounds/<int:pk>/", rounds.round_view, name="round"),
    path("rounds/<int:pk>/sheet.pdf", rounds.round_sheet_view, name="round_sheet"),
]
