from django.urls import path

from niangjia.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.worklist_view, name="worklist"),
    path("households/<int:pk>/", views.household_view, name="household"),
    path("run/", views.run_view, name="run"),
]
