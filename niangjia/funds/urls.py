from django.urls import URLPattern, path

from niangjia.funds.views import batches, pools, reports

app_name = "funds"

# Mounted at /funds/.
urlpatterns: list[URLPattern] = [
    path("", pools.pool_list_view, name="pool_list"),
    path("new/", pools.pool_create_view, name="pool_create"),
    path("<int:pk>/", pools.pool_detail_view, name="pool_detail"),
    path("<int:pk>/allocate/", pools.allocate_view, name="allocate"),
    path("<int:pk>/ledger/", pools.pool_ledger_view, name="pool_ledger"),
    path("allocations/<int:pk>/reverse/", pools.allocation_reverse_view, name="allocation_reverse"),
    path("batches/", batches.batch_list_view, name="batch_list"),
    path("batches/<int:pk>/", batches.batch_detail_view, name="batch_detail"),
    path("batches/<int:pk>/export/<str:fmt>/", batches.batch_export_view, name="batch_export"),
    path("batches/<int:pk>/results/", batches.batch_import_view, name="batch_import"),
    path("report/", reports.report_view, name="report"),
    path("report/export/", reports.report_export_view, name="report_export"),
]
