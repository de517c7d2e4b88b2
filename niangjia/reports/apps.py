from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """统计报表: indicators computed from the records, the leaders' dashboard, the bulletin (通报), exports."""

    name = "niangjia.reports"
    label = "reports"
    verbose_name = "统计报表"
