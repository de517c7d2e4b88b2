from django.urls import path

from niangjia.registry import views

app_name = "registry"

urlpatterns = [
    path("enterprises/", views.enterprise_list_view, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail_view, name="enterprise_detail"),
    path("workers/", views.worker_list_view, name="worker_list"),
    path("workers/<int:pk>/", views.worker_detail_view, name="worker_detail"),
    path("households/<int:pk>/", views.household_detail_view, name="household_detail"),
    path("reveal/<str:kind>/<int:pk>/<str:field>/", views.reveal_view, name="reveal"),
]
