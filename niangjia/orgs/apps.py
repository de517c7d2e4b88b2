from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "niangjia.orgs"
    label = "orgs"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from niangjia.core.audit import register_actions

        register_actions(
            {
                "orgs.org.create": "新建工会组织",
                "orgs.staff.create": "新建工作人员",
                "orgs.staff.change": "修改工作人员",
                "orgs.staff.login": "登录",
                "orgs.staff.login_failed": "登录失败",
                # No longer written (accounts are not locked, addresses are throttled); kept for old entries.
                "orgs.staff.locked": "账号锁定",
                "orgs.staff.login_throttled": "登录限流",
                "orgs.staff.unlock": "解除登录限制",
                "orgs.token.create": "创建接口令牌",
                "orgs.staff.deactivate": "停用工作人员",
                "orgs.staff.reactivate": "启用工作人员",
                "orgs.staff.password_reset": "重置密码",
                "orgs.staff.password_change": "修改密码",
                "orgs.staff.import": "导入工作人员名册",
                "orgs.staff.passwords_download": "下载初始密码",
            }
        )
