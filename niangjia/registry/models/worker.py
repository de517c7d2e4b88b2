"""Workers (职工) and their employment.

Direct identifiers are never stored in clear: each has a ciphertext (`*_enc`),
the masked form shown by default (`*_masked`) and keyed hashes for lookup.
"""

from __future__ import annotations

from django.db import models

from niangjia.core.ranges import CONTRACT_MONTHS_MAX, date_range, number_range, year_range
from niangjia.core.scoping import ScopeSpec
from niangjia.orgs.models import UnionOrg
from niangjia.registry.choices import EmploymentForm, Sex
from niangjia.registry.models.enterprise import Enterprise


class Worker(models.Model):
    """One person employed by, or registered with, a union: one record per person."""

    name = models.CharField("姓名", max_length=64)
    name_initials = models.CharField("姓名首字母", max_length=16, db_index=True, editable=False)
    name_pinyin = models.CharField("姓名拼音", max_length=64, editable=False)
    id_number_enc = models.TextField("身份证号(密文)", blank=True, editable=False)
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True, editable=False)
    id_number_hash = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    id_tail_hash = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    birth_date = models.DateField("出生日期", null=True, blank=True, validators=date_range())
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    ethnicity = models.CharField("民族", max_length=16, blank=True, default="汉族")
    phone_enc = models.TextField("手机号(密文)", blank=True, editable=False)
    phone_masked = models.CharField("手机号", max_length=32, blank=True, editable=False)
    phone_hash = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    phone_tail_hash = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    address_enc = models.TextField("住址(密文)", blank=True, editable=False)
    address_masked = models.CharField("住址", max_length=64, blank=True, editable=False)
    bank_account_enc = models.TextField("银行卡号(密文)", blank=True, editable=False)
    bank_account_masked = models.CharField("银行卡号", max_length=32, blank=True, editable=False)
    union_member = models.BooleanField("工会会员", default=False)
    member_since = models.DateField("入会日期", null=True, blank=True, validators=date_range())
    is_migrant = models.BooleanField("农民工", default=False)
    lives_in_city = models.BooleanField("在城市长期居住", null=True, blank=True)
    mutual_aid_year = models.PositiveSmallIntegerField(
        "参加住院互助年度", null=True, blank=True, validators=year_range()
    )
    org = models.ForeignKey(UnionOrg, verbose_name="负责工会", on_delete=models.PROTECT, related_name="workers")
    merged_into = models.ForeignKey(
        "self", verbose_name="已合并到", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope = ScopeSpec(org="org", cadre="employments__enterprise__assignments__cadre")

    class Meta:
        verbose_name = "职工"
        verbose_name_plural = "职工"
        indexes = [
            models.Index(fields=["org", "id"], name="worker_org_idx"),
            models.Index(fields=["name"], name="worker_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Employment(models.Model):
    """A worker's job at an enterprise; `end_date` empty while it lasts."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="employments")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="employments")
    post = models.CharField("岗位", max_length=64, blank=True)
    form = models.CharField("用工形式", max_length=24, choices=EmploymentForm.choices, default=EmploymentForm.STANDARD)
    start_date = models.DateField("入职日期", null=True, blank=True, validators=date_range())
    end_date = models.DateField("离职日期", null=True, blank=True, validators=date_range())
    contract_months = models.PositiveSmallIntegerField(
        "合同期限(月)", null=True, blank=True, validators=number_range(0, CONTRACT_MONTHS_MAX, "合同期限(月)")
    )

    scope = ScopeSpec(org="worker__org", cadre="enterprise__assignments__cadre")

    class Meta:
        verbose_name = "就业信息"
        verbose_name_plural = "就业信息"
        indexes = [models.Index(fields=["enterprise", "end_date"], name="employment_current_idx")]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.enterprise}"

    @property
    def is_gig(self) -> bool:
        return self.form in EmploymentForm.gig()
