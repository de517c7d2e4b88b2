from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """统计报表: indicators computed from the records, the leaders' dashboard, the bulletin (通报), exports."""

    name = "niangjia.reports"
    label = "reports"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from niangjia.core.audit import register_actions

        register_actions({"reports.refresh": "刷新统计数据", "reports.bulletin": "生成活动通报"})
