"""Households, their members, and the sensitive circumstances kept apart from identifiers.

Income, health and disability live in `*Circumstances` tables, one-to-one with the
household or member: screening reads them in bulk without touching identifiers,
and only scoped selectors reach them (see docs/personal-data.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from niangjia.core.ranges import (
    ADMISSION_YEAR_RANGE,
    DISABILITY_GRADES,
    HOMES_OWNED_MAX,
    date_range,
    money_range,
    number_range,
)
from niangjia.core.scoping import ScopeSpec
from niangjia.orgs.models import Area, UnionOrg
from niangjia.registry.choices import (
    AdmissionKind,
    ArchiveLevel,
    DisabilityType,
    Health,
    HousingType,
    Relation,
    SchoolStage,
    Sex,
    WorkStatus,
)
from niangjia.registry.models.worker import Worker

HOUSEHOLD_CADRE = "members__worker__employments__enterprise__assignments__cadre"


class Household(models.Model):
    """A worker's household, the unit most assistance is assessed on.

    `facts_changed_at` is stamped by every registry service that changes a fact a
    policy reads; screening re-screens households changed since its last run.
    """

    area = models.ForeignKey(Area, verbose_name="户籍/居住区划", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(UnionOrg, verbose_name="负责工会", on_delete=models.PROTECT, related_name="households")
    archive_level = models.CharField("建档级别", max_length=16, choices=ArchiveLevel.choices, blank=True)
    archived_on = models.DateField("建档日期", null=True, blank=True, validators=date_range())
    last_review_date = models.DateField("上次复核日期", null=True, blank=True, validators=date_range())
    facts_changed_at = models.DateTimeField("情况变更时间", db_index=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = ScopeSpec(org="org", cadre=HOUSEHOLD_CADRE)

    class Meta:
        verbose_name = "家庭"
        verbose_name_plural = "家庭"
        indexes = [
            models.Index(fields=["org", "id"], name="household_org_idx"),
            # The archived households (a few in a hundred): the work queue's and the reports' 建档级别 filters.
            models.Index(fields=["archive_level"], condition=~Q(archive_level=""), name="household_archived_idx"),
        ]

    def __str__(self) -> str:
        return f"家庭 {self.pk}"


class HouseholdCircumstances(models.Model):
    """The household's economic facts (sensitive), apart from any identifier."""

    household = models.OneToOneField(
        Household, on_delete=models.CASCADE, primary_key=True, related_name="circumstances"
    )
    housing_type = models.CharField("住房类型", max_length=16, choices=HousingType.choices, blank=True)
    homes_owned = models.PositiveSmallIntegerField(
        "住房套数", null=True, blank=True, validators=number_range(0, HOMES_OWNED_MAX, "住房套数")
    )
    owns_shop_or_employs = models.BooleanField("拥有商铺或雇工经营", null=True, blank=True)
    private_car_non_work = models.BooleanField("非受雇使用机动车", null=True, blank=True)
    child_private_or_abroad = models.BooleanField("子女读高收费私立学校或自费留学", null=True, blank=True)
    other_annual_income = models.DecimalField(
        "其他非薪资年收入", max_digits=12, decimal_places=2, null=True, blank=True, validators=money_range()
    )
    rigid_medical_12m = models.DecimalField(
        "近12个月医疗支出", max_digits=12, decimal_places=2, null=True, blank=True, validators=money_range()
    )
    rigid_education_12m = models.DecimalField(
        "近12个月教育支出", max_digits=12, decimal_places=2, null=True, blank=True, validators=money_range()
    )
    rigid_other_12m = models.DecimalField(
        "近12个月其他刚性支出", max_digits=12, decimal_places=2, null=True, blank=True, validators=money_range()
    )
    hardship_costs_12m = models.DecimalField(
        "近12个月致困损失(扣除赔偿)", max_digits=12, decimal_places=2, null=True, blank=True, validators=money_range()
    )

    scope = ScopeSpec(org="household__org", cadre=f"household__{HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "家庭经济情况"
        verbose_name_plural = "家庭经济情况"

    def __str__(self) -> str:
        return f"家庭 {self.household_id} 经济情况"


class HouseholdMember(models.Model):
    """One person of a household. A member who is a registered worker links to them
    and keeps no identifiers of their own; other members (children, spouses…) do."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    worker = models.OneToOneField(Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="membership")
    name = models.CharField("姓名", max_length=64)
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True, validators=date_range())
    id_number_enc = models.TextField("身份证号(密文)", blank=True, editable=False)
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True, editable=False)
    id_number_hash = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    work_status = models.CharField("工作状态", max_length=16, choices=WorkStatus.choices, blank=True)
    able_to_work = models.BooleanField("有劳动能力", null=True, blank=True)
    school_stage = models.CharField("学段", max_length=24, choices=SchoolStage.choices, blank=True)
    admission_year = models.PositiveSmallIntegerField(
        "入学年份", null=True, blank=True, validators=number_range(*ADMISSION_YEAR_RANGE, "入学年份")
    )
    admission_kind = models.CharField("录取类别", max_length=16, choices=AdmissionKind.choices, blank=True)

    scope = ScopeSpec(org="household__org", cadre=f"household__{HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(relation="head"), name="household_one_head"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_relation_display()}）"


class MemberCircumstances(models.Model):
    """A member's income, health and disability (sensitive), apart from identifiers."""

    member = models.OneToOneField(
        HouseholdMember, on_delete=models.CASCADE, primary_key=True, related_name="circumstances"
    )
    monthly_income = models.DecimalField(
        "月收入", max_digits=10, decimal_places=2, null=True, blank=True, validators=money_range()
    )
    health = models.CharField("健康状况", max_length=16, choices=Health.choices, blank=True)
    major_illness = models.BooleanField("患重大疾病", null=True, blank=True)
    illness_name = models.CharField("疾病名称", max_length=64, blank=True)
    disability_type = models.CharField("残疾类别", max_length=16, choices=DisabilityType.choices, blank=True)
    disability_grade = models.PositiveSmallIntegerField(
        "残疾等级", null=True, blank=True, validators=number_range(*DISABILITY_GRADES, "残疾等级")
    )
    work_injury_disabled = models.BooleanField("因工伤致残", null=True, blank=True)

    scope = ScopeSpec(org="member__household__org", cadre=f"member__household__{HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "成员健康与收入"
        verbose_name_plural = "成员健康与收入"

    def __str__(self) -> str:
        return f"成员 {self.member_id} 情况"
