"""Enterprises and the cadres assigned to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from niangjia.core.ranges import EMPLOYEE_COUNT_MAX, LAT_RANGE, LNG_RANGE, date_range, number_range
from niangjia.core.scoping import ScopeSpec
from niangjia.orgs.models import Area, UnionOrg
from niangjia.registry.choices import EnterpriseStatus, Industry, Ownership, SizeClass


class Enterprise(models.Model):
    """An employer, identified by its 统一社会信用代码 (uscc).

    `org` is the union organization responsible for it: its own enterprise union
    if it has one, else the street or district union of its area. Scoping uses it.
    """

    name = models.CharField("企业名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    ownership = models.CharField("经济类型", max_length=16, choices=Ownership.choices)
    size_class = models.CharField("规模", max_length=8, choices=SizeClass.choices)
    is_platform = models.BooleanField("平台企业", default=False)
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices)
    area = models.ForeignKey(Area, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("地址", max_length=200, blank=True)
    lng = models.DecimalField(
        "经度", max_digits=9, decimal_places=6, null=True, blank=True, validators=number_range(*LNG_RANGE, "经度")
    )
    lat = models.DecimalField(
        "纬度", max_digits=9, decimal_places=6, null=True, blank=True, validators=number_range(*LAT_RANGE, "纬度")
    )
    union = models.OneToOneField(
        UnionOrg, verbose_name="企业工会", null=True, blank=True, on_delete=models.SET_NULL, related_name="enterprise"
    )
    org = models.ForeignKey(UnionOrg, verbose_name="负责工会", on_delete=models.PROTECT, related_name="enterprises")
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    employee_count = models.PositiveIntegerField(
        "职工人数", null=True, blank=True, validators=number_range(0, EMPLOYEE_COUNT_MAX, "职工人数")
    )
    status = models.CharField("状态", max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope = ScopeSpec(org="org", cadre="assignments__cadre")

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        indexes = [
            models.Index(fields=["org", "id"], name="enterprise_org_idx"),
            models.Index(fields=["area", "ownership", "size_class"], name="enterprise_filter_idx"),
            models.Index(fields=["name"], name="enterprise_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class EnterpriseAssignment(models.Model):
    """A cadre responsible for an enterprise (written by outreach pairing, or by hand)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="assignments")
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_assignments")
    since = models.DateField("起始日期", validators=date_range())

    class Meta:
        verbose_name = "联系干部"
        verbose_name_plural = "联系干部"
        constraints = [models.UniqueConstraint(fields=["enterprise", "cadre"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.enterprise}"
