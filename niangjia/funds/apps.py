from django.apps import AppConfig


class FundsConfig(AppConfig):
    """资金：资金池、台账、发放与支付批次."""

    name = "niangjia.funds"
    label = "funds"
    verbose_name = "帮扶资金"
