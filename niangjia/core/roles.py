"""Staff roles. The scoping chokepoint (`niangjia.core.scoping`) gives them meaning."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市总工会管理员")
    DISTRICT_STAFF = "district_staff", _("区县总工会工作人员")
    CADRE = "cadre", _("工会干部")
    ENTERPRISE_CHAIR = "enterprise_chair", _("企业工会主席")
    LEADER = "leader", _("领导(只读)")
