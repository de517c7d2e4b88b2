"""Enumerations of assistance, with their Chinese labels (FACTS.md §1.6 for the archive's code lists)."""

from __future__ import annotations

from django.db import models

from niangjia.registry.choices import ArchiveLevel

HardshipLevel = ArchiveLevel


class ItemStatus(models.TextChoices):
    """Where a household stands with one proposed policy (the work queue's status)."""

    PENDING = "pending", "待核实"
    CONTACTED = "contacted", "已联系"
    COLLECTING = "collecting", "材料收集中"
    APPLIED = "applied", "已申请"
    DONE = "done", "已办结"
    DECLINED = "declined", "不申请"


# The order a household's overall status takes: the least advanced of its open items.
ITEM_PROGRESS = [ItemStatus.PENDING, ItemStatus.CONTACTED, ItemStatus.COLLECTING, ItemStatus.APPLIED]
NOT_APPLIED = (ItemStatus.PENDING, ItemStatus.CONTACTED, ItemStatus.COLLECTING)
# What a user may set by hand; 已申请 and 已办结 follow the application.
SETTABLE = (ItemStatus.PENDING, ItemStatus.CONTACTED, ItemStatus.COLLECTING, ItemStatus.DECLINED)


class Rank(models.IntegerChoices):
    """The queue's first sort key."""

    ELIGIBLE_AMOUNT = 0, "符合，有金额"
    ELIGIBLE = 1, "符合"
    POSSIBLY = 2, "可能符合"


class Cause(models.TextChoices):
    """致困原因, the ten codes of the 困难职工档案表 (one main, up to three secondary)."""

    UNABLE_TO_WORK = "unable_to_work", "无劳动能力"
    ABLE_UNEMPLOYED = "able_unemployed", "有劳动能力而未就业"
    LAID_OFF = "laid_off", "下岗失业"
    NO_INSURANCE = "no_insurance", "未参加社会保险"
    INSURANCE_UNPAID = "insurance_unpaid", "社会保险待遇落实不到位"
    SERIOUS_ILLNESS = "serious_illness", "患重特大疾病"
    DISASTER = "disaster", "遭受自然灾害"
    ACCIDENT = "accident", "遭受意外事故"
    SCHOOLING = "schooling", "子女上学"
    OTHER = "other", "其他"


SECONDARY_CAUSES_MAX = 3


class ArchiveStatus(models.TextChoices):
    SUSPECTED = "suspected", "疑似困难"
    VERIFIED = "verified", "已核实"
    ARCHIVED = "archived", "已建档"
    UNDER_REVIEW = "under_review", "复核中"
    EXITED = "exited", "已脱困"
    CANCELLED = "cancelled", "已注销"


ACTIVE_ARCHIVE = (ArchiveStatus.SUSPECTED, ArchiveStatus.VERIFIED, ArchiveStatus.ARCHIVED, ArchiveStatus.UNDER_REVIEW)
# In the archive (the engine's archive_level holds): archived, and still so while under review.
IN_ARCHIVE = (ArchiveStatus.ARCHIVED, ArchiveStatus.UNDER_REVIEW)


class ArchiveSource(models.TextChoices):
    SCREENING = "screening", "政策找人筛查"
    ASSESSMENT = "assessment", "干部入户评估"


class ExitRoute(models.TextChoices):
    """脱困 routes (the "四个一批"; the last two are FACTS.md's inference)."""

    JOB = "job", "就业创业发展"
    INSURANCE = "insurance", "纳入社保制度覆盖"
    SAFETY_NET = "safety_net", "社会救助兜底"
    UNION_HELP = "union_help", "工会帮扶解困"
    OTHER = "other", "其他"


class NoticeStatus(models.TextChoices):
    OPEN = "open", "公示中"
    PASSED = "passed", "公示无异议"
    OBJECTED = "objected", "异议成立"


class ObjectionOutcome(models.TextChoices):
    PENDING = "pending", "待核查"
    DISMISSED = "dismissed", "经核查不成立"
    UPHELD = "upheld", "经核查成立"


class ContactFrequency(models.TextChoices):
    WEEKLY = "weekly", "每周"
    FORTNIGHTLY = "fortnightly", "每两周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"


FREQUENCY_DAYS = {
    ContactFrequency.WEEKLY: 7,
    ContactFrequency.FORTNIGHTLY: 14,
    ContactFrequency.MONTHLY: 30,
    ContactFrequency.QUARTERLY: 91,
    ContactFrequency.HALF_YEARLY: 182,
}


class ContactChannel(models.TextChoices):
    HOME_VISIT = "home_visit", "入户走访"
    CAMPAIGN_VISIT = "campaign_visit", "大走访入户"
    PHONE = "phone", "电话联系"
    OFFICE = "office", "来访"
    ONLINE = "online", "微信或线上"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "材料准备中"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准待发放"
    PAID = "paid", "已发放"
    REJECTED = "rejected", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_APPLICATION = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
)


class Authorisation(models.TextChoices):
    """How the worker authorised a cadre to file on their behalf (跑腿代办)."""

    WRITTEN = "written", "书面委托书"
    SIGNED_FORM = "signed_form", "本人在申请表上签字确认"
    VERBAL_WITNESSED = "verbal_witnessed", "口头委托（有见证人）"
    GUARDIAN = "guardian", "监护人代为申请"


class PaperStatus(models.TextChoices):
    MISSING = "missing", "未收到"
    ON_FILE = "on_file", "已在档"
    RECEIVED = "received", "已收到"


class PaperHolder(models.TextChoices):
    """Who holds the paper now."""

    WORKER = "worker", "职工本人"
    CADRE = "cadre", "经办干部"
    OFFICE = "office", "工会办公室"
    RETURNED = "returned", "已退还职工"


class ApprovalLevel(models.TextChoices):
    DISTRICT = "district", "区县总工会审批"
    CITY = "city", "市总工会审批"


class DecisionStage(models.TextChoices):
    FILED = "filed", "申请时"
    APPROVAL = "approval", "审批时"
    PAYMENT = "payment", "发放时"


class RoundKind(models.TextChoices):
    FILE = "file", "批量申请"
    APPROVE = "approve", "批量审批"
    PAY = "pay", "批量发放"


class RoundStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"


class RoundOutcome(models.TextChoices):
    PENDING = "pending", "待处理"
    OK = "ok", "成功"
    FAILED = "failed", "未成功"
