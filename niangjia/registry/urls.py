from django.urls import path

from niangjia.registry.views import detail, edit, imports, lists, transfers

app_name = "registry"

urlpatterns = [
    path("enterprises/", lists.enterprise_list_view, name="enterprise_list"),
    path("enterprises/<int:pk>/", detail.enterprise_detail_view, name="enterprise_detail"),
    path("workers/", lists.worker_list_view, name="worker_list"),
    path("workers/<int:pk>/", detail.worker_detail_view, name="worker_detail"),
    path("enterprises/<int:pk>/register/", edit.worker_register_view, name="worker_register"),
    path("enterprises/<int:pk>/transfer/", transfers.transfer_request_view, name="transfer_request"),
    path("transfers/", transfers.transfer_list_view, name="transfers"),
    path("transfers/<int:pk>/decide/", transfers.transfer_decide_view, name="transfer_decide"),
    path("households/<int:pk>/", detail.household_detail_view, name="household_detail"),
    path("households/<int:pk>/edit/", edit.household_edit_view, name="household_edit"),
    path("households/<int:pk>/members/new/", edit.member_add_view, name="member_add"),
    path("workers/<int:pk>/household/new/", edit.household_create_view, name="household_create"),
    path("members/<int:pk>/edit/", edit.member_edit_view, name="member_edit"),
    path("export/<str:kind>/", lists.export_view, name="export"),
    path("import/", imports.import_upload_view, name="import"),
    path("import/<uuid:token>/", imports.import_preview_view, name="import_preview"),
    path("import/<uuid:token>/result/", imports.import_result_view, name="import_result"),
    path("import/<uuid:token>/report.xlsx", imports.import_report_view, name="import_report"),
    path("import/template/<str:kind>.xlsx", imports.import_template_view, name="import_template"),
    path("reveal/<str:kind>/<int:pk>/<str:field>/", detail.reveal_view, name="reveal"),
]
