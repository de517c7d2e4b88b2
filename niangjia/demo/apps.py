from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The deterministic demo generator (`niangjia seed`): every part's demo data, through its services."""

    name = "niangjia.demo"
    label = "demo"
    verbose_name = "演示数据"
