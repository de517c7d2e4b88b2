from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    """政策找人: runs the rules engine over the registry and keeps the work lists."""

    name = "niangjia.screening"
    label = "screening"
    verbose_name = "政策找人"

    def ready(self) -> None:
        from niangjia.core.audit import register_actions

        register_actions(
            {"screening.run": "政策筛查", "screening.household": "单户重新筛查", "screening.enqueue": "发起政策筛查"}
        )
