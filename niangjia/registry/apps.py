from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "niangjia.registry"
    label = "registry"
    verbose_name = "职工与企业名册"

    def ready(self) -> None:
        from niangjia.core.audit import register_actions

        register_actions(
            {
                "registry.enterprise.create": "新建企业",
                "registry.enterprise.change": "修改企业",
                "registry.enterprise.assign": "指定联系干部",
                "registry.worker.create": "新建职工",
                "registry.worker.change": "修改职工",
                "registry.worker.merge": "合并重复职工",
                "registry.household.create": "新建家庭",
                "registry.household.change": "修改家庭情况",
                "registry.member.change": "修改家庭成员",
                "registry.worker.found_elsewhere": "得知证件号已由其他工会登记",
                "registry.transfer.request": "提交职工调动申请",
                "registry.transfer.approve": "同意职工调入",
                "registry.transfer.reject": "退回职工调动申请",
                "registry.import": "导入名册",
                "registry.keys.rotate": "轮换加密密钥",
                "registry.event.record": "登记家庭事件",
                "registry.document.record": "登记收到的材料",
                "registry.aid.record": "登记已发放的帮扶",
                "registry.aid.remove": "撤销退回的帮扶发放",
            }
        )
