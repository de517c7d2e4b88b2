"""Enumerations of the funds part, with Chinese labels."""

from django.db import models


class Programme(models.TextChoices):
    """What a pool pays for (the assistance programmes of GLOSSARY.md)."""

    EMERGENCY = "emergency", "紧急救助"
    WARMTH = "warmth", "送温暖"
    SCHOOL_AID = "school_aid", "金秋助学"
    MEDICAL = "medical", "医疗互助"
    OTHER = "other", "其他帮扶"


class PoolLevel(models.TextChoices):
    """市、区两级统筹: a pool belongs to the city federation or to a district's."""

    CITY = "city", "市级"
    DISTRICT = "district", "区县级"


class AllocationSource(models.TextChoices):
    """Where money put into a pool comes from (FACTS.md: budgets, union dues, donations)."""

    CENTRAL_BUDGET = "central_budget", "中央财政"
    LOCAL_BUDGET = "local_budget", "地方财政"
    UNION_DUES = "union_dues", "工会经费"
    DONATION = "donation", "社会捐赠"
    UPPER_UNION = "upper_union", "上级工会拨付"
    OTHER = "other", "其他来源"


class Account(models.TextChoices):
    """The accounts of one pool. Each account's balance is the sum of its signed ledger lines.

    `source` stands for the money outside the pool (its balance is minus what was allocated), so
    that every transaction's lines sum to zero.
    """

    SOURCE = "source", "资金来源"
    AVAILABLE = "available", "可用"
    COMMITTED = "committed", "已审批待发放"
    PAID = "paid", "已发放"


class TxKind(models.TextChoices):
    """What a ledger transaction did."""

    ALLOCATION = "allocation", "资金拨入"
    ALLOCATION_REVERSAL = "allocation_reversal", "冲销拨入"
    COMMITMENT = "commitment", "审批占用"
    RELEASE = "release", "释放占用"
    DISBURSEMENT = "disbursement", "发放"
    RETURN = "return", "发放退回"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "待发放"
    PAID = "paid", "已发放"
    RELEASED = "released", "已释放"
    RETURNED = "returned", "发放后退回"


class DisbursementStatus(models.TextChoices):
    PAID = "paid", "已发放"
    RETURNED = "returned", "已退回"


class BatchStatus(models.TextChoices):
    PENDING = "pending", "待银行回执"
    SETTLED = "settled", "已对账"


class LineStatus(models.TextChoices):
    PENDING = "pending", "待回执"
    PAID = "paid", "支付成功"
    FAILED = "failed", "支付失败"


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel（xlsx）"
    CSV = "csv", "CSV"
