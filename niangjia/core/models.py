"""Core models: the append-only audit log (the only domain model of this app)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from niangjia.core.scoping import ScopeSpec


class AuditEntry(models.Model):
    """One recorded action: who did what to which record, with old and new values.

    Rows are never updated or deleted; database triggers refuse both (see the
    migration `0002_auditentry_append_only`).
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    # Path of the actor's union organization, so a search can be scoped without joins.
    org_path = models.CharField("所属组织路径", max_length=255, blank=True, db_index=True)
    action = models.CharField("动作", max_length=64, db_index=True)
    target_type = models.CharField("对象类型", max_length=64, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    old_values = models.JSONField("原值", null=True, blank=True)
    new_values = models.JSONField("新值", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)

    scope = ScopeSpec(org="", path="org_path")

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # Counting a user's disclosures in the last hour (core/disclosure.py).
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"
