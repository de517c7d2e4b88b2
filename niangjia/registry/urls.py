from django.urls import path

from niangjia.registry import views, views_edit, views_import

app_name = "registry"

urlpatterns = [
    path("enterprises/", views.enterprise_list_view, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail_view, name="enterprise_detail"),
    path("workers/", views.worker_list_view, name="worker_list"),
    path("workers/<int:pk>/", views.worker_detail_view, name="worker_detail"),
    path("enterprises/<int:pk>/register/", views_edit.worker_register_view, name="worker_register"),
    path("enterprises/<int:pk>/transfer/", views_edit.transfer_request_view, name="transfer_request"),
    path("transfers/", views_edit.transfer_list_view, name="transfers"),
    path("transfers/<int:pk>/decide/", views_edit.transfer_decide_view, name="transfer_decide"),
    path("households/<int:pk>/", views.household_detail_view, name="household_detail"),
    path("households/<int:pk>/edit/", views_edit.household_edit_view, name="household_edit"),
    path("households/<int:pk>/members/new/", views_edit.member_add_view, name="member_add"),
    path("workers/<int:pk>/household/new/", views_edit.household_create_view, name="household_create"),
    path("members/<int:pk>/edit/", views_edit.member_edit_view, name="member_edit"),
    path("export/<str:kind>/", views.export_view, name="export"),
    path("import/", views_import.import_upload_view, name="import"),
    path("import/<uuid:token>/", views_import.import_preview_view, name="import_preview"),
    path("import/<uuid:token>/result/", views_import.import_result_view, name="import_result"),
    path("import/<uuid:token>/report.xlsx", views_import.import_report_view, name="import_report"),
    path("import/template/<str:kind>.xlsx", views_import.import_template_view, name="import_template"),
    path("reveal/<str:kind>/<int:pk>/<str:field>/", views.reveal_view, name="reveal"),
]
