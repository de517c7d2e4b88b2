"""Staff roles. The scoping chokepoint (`niangjia.core.scoping`) gives them meaning."""

from django.db import models


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市总工会管理员"
    DISTRICT_STAFF = "district_staff", "区县总工会工作人员"
    CADRE = "cadre", "工会干部"
    ENTERPRISE_CHAIR = "enterprise_chair", "企业工会主席"
    LEADER = "leader", "领导(只读)"
