from django.apps import AppConfig


class FundsConfig(AppConfig):
    """资金：资金池、台账、发放与支付批次."""

    name = "niangjia.funds"
    label = "funds"
    verbose_name = "帮扶资金"

    def ready(self) -> None:
        from niangjia.core.audit import register_actions

        register_actions(
            {
                "funds.pool.create": "新建资金池",
                "funds.allocation.add": "资金拨入",
                "funds.allocation.reverse": "冲销资金拨入",
                "funds.commitment.create": "审批占用资金",
                "funds.commitment.release": "释放占用资金",
                "funds.disbursement.pay": "发放资金",
                "funds.disbursement.fail": "登记发放退回",
                "funds.batch.create": "生成支付批次",
                "funds.batch.export": "导出银行代发文件",
                "funds.batch.import": "导入银行回执",
            }
        )
