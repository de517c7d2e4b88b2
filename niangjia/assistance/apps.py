from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    """帮扶：困难职工档案、一对一联系户、代办申请与审批."""

    name = "niangjia.assistance"
    label = "assistance"
    verbose_name = "帮扶申请"

    def ready(self) -> None:
        from niangjia.assistance.services.contacts import home_visits_heard
        from niangjia.assistance.services.funding import payment_heard
        from niangjia.core.audit import register_actions
        from niangjia.funds.listeners import payment_listener_add
        from niangjia.outreach.listeners import home_visit_listener_add

        register_actions(
            {
                "assistance.queue.status": "更新帮扶待办状态",
                "assistance.queue.assign": "分派帮扶待办",
                "assistance.archive.open": "登记疑似困难职工家庭",
                "assistance.archive.update": "修改困难档案",
                "assistance.archive.import": "导入已有困难档案",
                "assistance.archive.move": "办理困难档案",
                "assistance.notice.open": "建档公示",
                "assistance.notice.objection": "登记公示异议",
                "assistance.notice.objection_decide": "核查公示异议",
                "assistance.notice.close": "结束建档公示",
                "assistance.contact.start": "确定一对一联系户",
                "assistance.contact.update": "调整一对一联系户",
                "assistance.contact.end": "结束一对一联系",
                "assistance.contact.log": "记录联系情况",
                "assistance.application.file": "登记帮扶申请",
                "assistance.application.submit": "提交帮扶申请",
                "assistance.application.approve": "批准帮扶申请",
                "assistance.application.reject": "退回帮扶申请",
                "assistance.application.withdraw": "撤回帮扶申请",
                "assistance.application.release": "撤销帮扶审批",
                "assistance.application.pay": "发放帮扶资金",
                "assistance.application.returned": "帮扶发放退回",
                "assistance.paper.receive": "收到申请材料",
                "assistance.paper.holder": "登记材料保管",
                "assistance.paper.upload": "上传申请材料",
                "assistance.paper.view": "查看申请材料文件",
                "assistance.round.run": "批量办理",
                "assistance.export": "导出帮扶待办",
            }
        )
        # Funds calls this inside the transaction of every payment and return (niangjia/funds/listeners.py).
        payment_listener_add(payment_heard)
        # Outreach calls this inside the transaction of every home visit it records (niangjia/outreach/listeners.py).
        home_visit_listener_add(home_visits_heard)
