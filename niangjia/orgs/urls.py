from django.urls import path

from niangjia.orgs.views import imports, password, staff

app_name = "orgs"

urlpatterns = [
    path("password/", password.password_change_view, name="password_change"),
    path("staff/", staff.staff_list_view, name="staff_list"),
    path("staff/new/", staff.staff_create_view, name="staff_create"),
    path("staff/<int:pk>/", staff.staff_detail_view, name="staff_detail"),
    path("staff/<int:pk>/edit/", staff.staff_edit_view, name="staff_edit"),
    path("staff/<int:pk>/active/", staff.staff_active_view, name="staff_active"),
    path("staff/<int:pk>/unlock/", staff.staff_unlock_view, name="staff_unlock"),
    path("staff/<int:pk>/password/", staff.staff_password_reset_view, name="staff_password_reset"),
    path("staff/import/", imports.import_upload_view, name="import"),
    path("staff/import/template.xlsx", imports.import_template_view, name="import_template"),
    path("staff/import/<uuid:token>/", imports.import_preview_view, name="import_preview"),
    path("staff/import/<uuid:token>/result/", imports.import_result_view, name="import_result"),
    path("staff/import/<uuid:token>/errors.xlsx", imports.import_errors_view, name="import_errors"),
    path("staff/import/<uuid:token>/passwords.xlsx", imports.import_passwords_view, name="import_passwords"),
]
