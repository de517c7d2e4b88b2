from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web shell: layout, navigation, login and each role's home page."""

    name = "niangjia.web"
    label = "web"
    verbose_name = "网站"
