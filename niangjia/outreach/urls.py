from django.urls import URLPattern, path

from niangjia.outreach import urls_visits
from niangjia.outreach.views import campaigns, pairing

app_name = "outreach"

# Mounted at outreach/.
urlpatterns: list[URLPattern] = [
    path("campaigns/", campaigns.campaign_list_view, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail_view, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit_view, name="campaign_edit"),
    path("campaigns/<int:pk>/activate/", campaigns.campaign_activate_view, name="campaign_activate"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close_view, name="campaign_close"),
    path("campaigns/<int:pk>/pairing/", pairing.pairing_view, name="pairing"),
    path("campaigns/<int:pk>/pairing/run/", pairing.pairing_run_view, name="pairing_run"),
    path("campaigns/<int:pk>/pairing/publish/", pairing.pairing_publish_view, name="pairing_publish"),
    path("campaigns/<int:pk>/pairing/release/", pairing.pairing_release_view, name="pairing_release"),
    path("campaigns/<int:pk>/pairing/swap/", pairing.pairing_swap_view, name="pairing_swap"),
    path("campaigns/<int:pk>/pairing/fix/", pairing.pairing_fix_view, name="pairing_fix"),
    path("campaigns/<int:pk>/pairing/<int:pairing_pk>/unfix/", pairing.pairing_unfix_view, name="pairing_unfix"),
    path("campaigns/<int:pk>/pairing/exclusions/", pairing.exclusion_add_view, name="exclusion_add"),
    path(
        "campaigns/<int:pk>/pairing/exclusions/<int:exclusion_pk>/remove/",
        pairing.exclusion_remove_view,
        name="exclusion_remove",
    ),
]

urlpatterns += urls_visits.urlpatterns
