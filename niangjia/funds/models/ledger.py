"""The append-only double-entry ledger (台账): transactions and their lines.

Rows are only ever inserted. The model refuses `save()` of an existing row and `delete()`, the
queryset refuses `update()` and `delete()`, and database triggers refuse UPDATE, DELETE and
TRUNCATE (migration `0002_ledger_append_only`); on PostgreSQL a deferred trigger also refuses to
commit a transaction whose lines do not sum to zero. A correction is a new, reversing transaction.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from niangjia.core.scoping import ScopeSpec
from niangjia.funds.choices import Account, TxKind

APPEND_ONLY = "台账只能追加，不能修改或删除；更正请登记冲销记录。"


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """A queryset without bulk UPDATE or DELETE."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError(APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(APPEND_ONLY)


class AppendOnly(models.Model):
    """Refuse changing or deleting a saved row (the database refuses them too)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(APPEND_ONLY)


class LedgerTransaction(AppendOnly):
    """One movement of money within a pool: its lines (`entries`) sum to zero."""

    kind = models.CharField("类型", max_length=24, choices=TxKind.choices)
    pool = models.ForeignKey("funds.FundPool", verbose_name="资金池", on_delete=models.PROTECT, related_name="+")
    # What caused it, as "<what>:<id>" (allocation:3, commitment:12); the caller's own reference is on the commitment.
    reference = models.CharField("关联", max_length=64, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", db_index=True)
    reverses = models.OneToOneField(
        "self", verbose_name="冲销的记录", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    scope = ScopeSpec(org="pool__org")

    class Meta:
        verbose_name = "台账记录"
        verbose_name_plural = "台账记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["pool", "-id"], name="funds_tx_pool_id")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class LedgerEntry(AppendOnly):
    """One line of a transaction: a signed amount on one account of one pool."""

    transaction = models.ForeignKey(
        LedgerTransaction, verbose_name="台账记录", on_delete=models.PROTECT, related_name="entries"
    )
    pool = models.ForeignKey("funds.FundPool", verbose_name="资金池", on_delete=models.PROTECT, related_name="+")
    account = models.CharField("科目", max_length=16, choices=Account.choices)
    # Signed, to the fen; the balance of an account is the sum of its lines.
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)

    scope = ScopeSpec(org="pool__org")

    class Meta:
        verbose_name = "台账分录"
        verbose_name_plural = "台账分录"
        ordering = ["id"]
        indexes = [models.Index(fields=["pool", "account"], name="funds_entry_pool_account")]

    def __str__(self) -> str:
        return f"{self.get_account_display()} {self.amount}"
