from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """诉求工单: every request that needs an answer, tracked to its close with deadlines and escalation."""

    name = "niangjia.tickets"
    label = "tickets"
    verbose_name = "诉求工单"

    def ready(self) -> None:
        from niangjia.core.audit import register_actions

        register_actions(
            {
                "tickets.ticket.create": "登记诉求",
                "tickets.ticket.transition": "办理诉求",
                "tickets.ticket.transfer": "转办诉求",
                "tickets.ticket.escalate": "诉求超期上提",
                "tickets.ticket.rate": "诉求满意度评价",
                "tickets.ticket.attach": "上传诉求照片或材料",
                "tickets.ticket.followup": "诉求回访",
                "tickets.cooperation.start": "企业问题对接合作方",
                "tickets.cooperation.finish": "记录对接合作成效",
                "tickets.hazard.triage": "安全隐患分级受理",
                "tickets.hazard.rectify": "安全隐患限期整改",
                "tickets.hazard.refer": "安全隐患移交应急管理部门",
                "tickets.hazard.checklist": "事故四不放过核查",
            }
        )
