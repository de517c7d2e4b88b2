"""Enumerations of screening."""

from django.db import models


class Outcome(models.TextChoices):
    """The engine's three-valued result (values are the engine's)."""

    ELIGIBLE = "eligible", "符合"
    POSSIBLY = "possibly", "可能符合（缺信息或材料）"
    NOT_ELIGIBLE = "not_eligible", "不符合"


class RunKind(models.TextChoices):
    FULL = "full", "全量筛查"
    AREA = "area", "按区域筛查"
    CHANGED = "changed", "变更家庭重新筛查"
    HOUSEHOLD = "household", "单户筛查"


class RunStatus(models.TextChoices):
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Listed(models.TextChoices):
    """The outcomes a work list holds (its 结果 filter)."""

    ELIGIBLE = Outcome.ELIGIBLE.value, Outcome.ELIGIBLE.label
    POSSIBLY = Outcome.POSSIBLY.value, Outcome.POSSIBLY.label
