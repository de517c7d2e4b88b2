from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """大走访：走访活动、一人一企结对、走访记录."""

    name = "niangjia.outreach"
    label = "outreach"
    verbose_name = "走访活动"
