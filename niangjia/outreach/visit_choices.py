"""Enumerations of visits (走企 / 入户), hardship signals and fact conflicts, with Chinese labels."""

from django.db import models


class VisitKind(models.TextChoices):
    ENTERPRISE = "enterprise", "走企"
    HOME = "home", "入户"


class NeedKind(models.TextChoices):
    """What a need raised on a visit becomes: the tickets part's kind of the same value."""

    NEED = "need", "职工需求"
    ENTERPRISE_PROBLEM = "enterprise_problem", "企业问题"


class SignalKind(models.TextChoices):
    """Hardship signals a cadre notices on a home visit; each changes facts of the household."""

    ILLNESS = "illness", "患重大疾病"
    DISABILITY = "disability", "残疾"
    JOB_LOSS = "job_loss", "失业"
    SUDDEN_EVENT = "sudden_event", "突发事件致困"
    SCHOOL_START = "school_start", "子女入学"


class ConflictStatus(models.TextChoices):
    OPEN = "open", "待确认"
    RESOLVED = "resolved", "已确认"


class ConflictChoice(models.TextChoices):
    """What the person resolving a conflict chose."""

    PROPOSED = "proposed", "采用走访时填报的值"
    CURRENT = "current", "保留现有的值"
