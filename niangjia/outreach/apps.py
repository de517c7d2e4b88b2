from django.apps import AppConfig

# Audit actions of campaigns and pairing (visits register theirs in services/visits.py).
CAMPAIGN_ACTIONS = {
    "outreach.campaign.create": "新建走访活动",
    "outreach.campaign.change": "修改走访活动",
    "outreach.campaign.activate": "启动走访活动",
    "outreach.campaign.close": "结束走访活动",
    "outreach.pairing.run": "计算一人一企结对",
    "outreach.pairing.create": "一人一企结对",
    "outreach.pairing.publish": "发布一人一企结对",
    "outreach.pairing.release": "解除一人一企结对",
    "outreach.pairing.swap": "交换结对干部",
    "outreach.pairing.fix": "固定结对",
    "outreach.pairing.unfix": "取消固定结对",
    "outreach.exclusion.add": "登记不结对",
    "outreach.exclusion.remove": "撤销不结对",
}


class OutreachConfig(AppConfig):
    """大走访：走访活动、一人一企结对、走访记录."""

    name = "niangjia.outreach"
    label = "outreach"
    verbose_name = "走访活动"

    def ready(self) -> None:
        from niangjia.core.audit import register_actions

        register_actions(CAMPAIGN_ACTIONS)
