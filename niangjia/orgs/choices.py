"""Enumerations of the union tree and staff roles, with Chinese labels."""

from django.db import models

from niangjia.core.roles import Role


class AreaLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    PREFECTURE = "prefecture", "地级"
    COUNTY = "county", "县级"
    STREET = "street", "乡级(街道/镇)"


class OrgLevel(models.TextChoices):
    CITY = "city", "市总工会"
    DISTRICT = "district", "区县总工会"
    ZONE = "zone", "开发区工会"
    STREET = "street", "街道/乡镇工会"
    INDUSTRY = "industry", "产业/行业工会"
    ENTERPRISE = "enterprise", "企业工会"


# Roles live in core, beside the scoping chokepoint that interprets them.
__all__ = ["AreaLevel", "OrgLevel", "Role"]
