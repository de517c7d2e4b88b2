from django.urls import path

from niangjia.web import orgtree, views

app_name = "web"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("orgs/", views.org_list_view, name="org_list"),
    path("orgs/<int:pk>/", orgtree.org_detail_view, name="org_detail"),
    path("audit/", views.audit_search_view, name="audit_search"),
]
