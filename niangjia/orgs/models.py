"""Areas (GB/T 2260), the union organization tree, staff users, API tokens and login attempts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from niangjia.core.scoping import ScopeSpec
from niangjia.orgs.choices import AreaLevel, OrgLevel, Role


class Area(models.Model):
    """An administrative division: 6-digit GB/T 2260 code, 9 digits below the county."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=16, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    source = models.CharField("数据来源", max_length=200, blank=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class UnionOrg(models.Model):
    """A union organization: one node of the tree from the city federation down.

    `path` is the materialized path of ids ("/1/7/42/"), so a subtree is one
    indexed prefix match; it is written by `org_create` and never edited by hand.
    """

    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=OrgLevel.choices)
    area = models.ForeignKey(Area, verbose_name="所在区划", on_delete=models.PROTECT, related_name="orgs")
    parent = models.ForeignKey(
        "self", verbose_name="上级工会", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("深度", default=0, editable=False)
    key = models.CharField(
        "标识", max_length=64, unique=True, null=True, blank=True, help_text="无区划代码的开发区等组织的稳定标识"
    )

    scope = ScopeSpec(org="")

    class Meta:
        verbose_name = "工会组织"
        verbose_name_plural = "工会组织"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: UnionOrg) -> bool:
        """Return whether `other` is this organization or below it."""
        return other.path.startswith(self.path)


class StaffUser(AbstractUser):
    """A member of union staff, attached to one organization with one role."""

    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.CADRE)
    org = models.ForeignKey(
        UnionOrg, verbose_name="所属组织", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    display_name = models.CharField("姓名", max_length=64, blank=True)
    # A work phone is still a direct identifier: encrypted, shown masked (core/keys.py `protect`).
    phone_enc = models.TextField("手机号(密文)", blank=True, editable=False)
    phone_masked = models.CharField("手机号", max_length=32, blank=True, editable=False)
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False, help_text="管理员重置或导入生成的一次性密码，登录后必须先改为自己的密码"
    )

    scope = ScopeSpec(org="org")

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.LEADER


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginAttempt(models.Model):
    """One password check at the login form, kept for throttling (see `staff_authenticate`).

    The username is stored as a keyed digest, of existing and unknown accounts alike: the table
    says nothing about which accounts exist, nor keeps a password typed into the wrong field.
    Rows older than `LOGIN_WINDOW_MINUTES` are pruned as new attempts arrive.
    """

    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    username_digest = models.CharField("用户名摘要", max_length=64)
    at = models.DateTimeField("时间")
    ok = models.BooleanField("成功", default=False)

    class Meta:
        verbose_name = "登录尝试"
        verbose_name_plural = "登录尝试"
        indexes = [
            models.Index(fields=["ip", "at"], name="orgs_login_ip_at"),
            models.Index(fields=["username_digest", "at"], name="orgs_login_user_at"),
            models.Index(fields=["at"], name="orgs_login_at"),
        ]

    def __str__(self) -> str:
        return f"{self.ip} {self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else 'failed'}"
