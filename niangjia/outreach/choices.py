"""Enumerations of the outreach part, with Chinese labels."""

from django.db import models


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "筹备中"
    ACTIVE = "active", "进行中"
    CLOSED = "closed", "已结束"


class EnterpriseGroup(models.TextChoices):
    """The enterprise groups a campaign visits first (GLOSSARY: 非公 / 中小微 / 平台)."""

    NON_PUBLIC = "non_public", "非公企业"
    SMALL_MICRO = "small_micro", "中小微企业"
    PLATFORM = "platform", "平台企业"


class WorkerGroup(models.TextChoices):
    """The worker groups whose homes a campaign visits."""

    ARCHIVED = "archived", "已建档困难职工"
    NOT_ARCHIVED = "not_archived", "困难未建档职工"
    SUDDEN = "sudden", "突发困难职工"


class SolverMethod(models.TextChoices):
    """How the pairing solver solved a campaign (see outreach/solver/solve.py)."""

    DENSE = "dense", "精确求解"
    SPARSE = "sparse", "近邻稀疏求解"
