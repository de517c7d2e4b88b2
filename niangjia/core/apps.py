from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "niangjia.core"
    label = "core"
    verbose_name = "基础"
