"""Enumerations of the reports part, with Chinese labels."""

from django.db import models


class Measure(models.TextChoices):
    """How an indicator's number is made from its records."""

    COUNT = "count", "计数"
    SUM = "sum", "合计"
    MONEY = "money", "金额"
    MEAN = "mean", "平均值"
    RATIO = "ratio", "比率"
    TARGET = "target", "目标"


class Grouping(models.TextChoices):
    """What a table's rows are."""

    ORG = "org", "按组织"
    CADRE = "cadre", "按干部"


class RefreshStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "统计中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
