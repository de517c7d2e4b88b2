from django.urls import path

from niangjia.reports import bulletin_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("indicators/", views.definitions_view, name="definitions"),
    path("c/<int:pk>/", views.dashboard_view, name="campaign"),
    path("c/<int:pk>/table/", views.table_view, name="table"),
    path("c/<int:pk>/list/<slug:code>/", views.records_view, name="records"),
    path("c/<int:pk>/export.xlsx", views.export_view, name="export"),
    path("c/<int:pk>/refresh/", views.refresh_view, name="refresh"),
    path("c/<int:pk>/bulletin/", bulletin_views.bulletin_view, name="bulletin"),
    path("c/<int:pk>/bulletin.pdf", bulletin_views.bulletin_pdf_view, name="bulletin_pdf"),
    path("c/<int:pk>/bulletin.xlsx", bulletin_views.bulletin_xlsx_view, name="bulletin_xlsx"),
]
