from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    """帮扶：困难职工档案、一对一联系户、代办申请与审批."""

    name = "niangjia.assistance"
    label = "assistance"
    verbose_name = "帮扶申请"
