"""Transfers: a worker registered by one union moves to an enterprise of another."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from niangjia.core.ranges import date_range
from niangjia.core.scoping import ScopeSpec
from niangjia.orgs.models import UnionOrg
from niangjia.registry.choices import EmploymentForm, TransferStatus
from niangjia.registry.models.enterprise import Enterprise
from niangjia.registry.models.worker import Worker


class WorkerTransfer(models.Model):
    """A request, by the union of the new employer, to take over a worker another union registered.

    One person keeps one record: the union that holds it (`from_org`) confirms, and the
    worker then moves to `to_enterprise`. The requester never sees the record itself, only
    what they typed (`name`, the masked ID) and the answer.
    """

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="transfers")
    name = models.CharField("申请填写的姓名", max_length=64)
    id_number_masked = models.CharField("身份证号", max_length=18)
    from_org = models.ForeignKey(UnionOrg, verbose_name="原负责工会", on_delete=models.PROTECT, related_name="+")
    to_enterprise = models.ForeignKey(
        Enterprise, verbose_name="调入单位", on_delete=models.PROTECT, related_name="transfers_in"
    )
    to_org = models.ForeignKey(UnionOrg, verbose_name="调入工会", on_delete=models.PROTECT, related_name="+")
    post = models.CharField("岗位", max_length=64, blank=True)
    form = models.CharField("用工形式", max_length=24, choices=EmploymentForm.choices, default=EmploymentForm.STANDARD)
    start_date = models.DateField("入职日期", null=True, blank=True, validators=date_range())
    status = models.CharField("状态", max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    # Decided by the union holding the record; the requester reads their own requests.
    scope = ScopeSpec(org="from_org", cadre="worker__employments__enterprise__assignments__cadre")

    class Meta:
        verbose_name = "职工调动申请"
        verbose_name_plural = "职工调动申请"
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "to_enterprise"],
                condition=models.Q(status="pending"),
                name="transfer_one_pending_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）调入 {self.to_enterprise}"
