"""Writes to the union tree and staff: each one transaction with its audit entry.

tree.py       org_create
staff.py      staff_create, staff_onboard, staff_update, staff_set_active, staff_unlock,
              staff_password_reset, staff_password_change
passwords.py  one-time passwords
login.py      staff_authenticate and its throttling
tokens.py     API tokens
importing     (orgs/importing.py) the cadre roster import, through staff_bulk_onboard
"""

from niangjia.orgs.services.login import (
    LoginRefused,
    LoginThrottled,
    login_throttle_clear,
    login_wait,
    staff_authenticate,
)
from niangjia.orgs.services.passwords import one_time_hash, one_time_password
from niangjia.orgs.services.staff import (
    StaffDraft,
    staff_bulk_onboard,
    staff_create,
    staff_onboard,
    staff_password_change,
    staff_password_reset,
    staff_set_active,
    staff_unlock,
    staff_update,
)
from niangjia.orgs.services.tokens import token_authenticate, token_create
from niangjia.orgs.services.tree import org_create

__all__ = [
    "LoginRefused",
    "LoginThrottled",
    "StaffDraft",
    "login_throttle_clear",
    "login_wait",
    "one_time_hash",
    "one_time_password",
    "org_create",
    "staff_authenticate",
    "staff_bulk_onboard",
    "staff_create",
    "staff_onboard",
    "staff_password_change",
    "staff_password_reset",
    "staff_set_active",
    "staff_unlock",
    "staff_update",
    "token_authenticate",
    "token_create",
]
