"""Writes of assistance. Each service validates, runs in one transaction and audits."""

from niangjia.assistance.services.applications import (
    application_approve,
    application_file,
    application_reject,
    application_submit,
    application_withdraw,
)
from niangjia.assistance.services.archive import (
    archive_exit,
    archive_move,
    archive_open,
    archive_review_confirm,
    archive_update,
)
from niangjia.assistance.services.contacts import contact_end, contact_log, contact_start, contact_update
from niangjia.assistance.services.funding import application_pay, application_release
from niangjia.assistance.services.notices import notice_close, notice_open, objection_add, objection_decide
from niangjia.assistance.services.papers import paper_file_add, paper_holder_set, paper_receive
from niangjia.assistance.services.queue import (
    queue_assign,
    queue_follow,
    queue_item_set_status,
    queue_rebuild,
    queue_refresh,
)

__all__ = [
    "application_approve",
    "application_file",
    "application_pay",
    "application_reject",
    "application_release",
    "application_submit",
    "application_withdraw",
    "archive_exit",
    "archive_move",
    "archive_open",
    "archive_review_confirm",
    "archive_update",
    "contact_end",
    "contact_log",
    "contact_start",
    "contact_update",
    "notice_close",
    "notice_open",
    "objection_add",
    "objection_decide",
    "paper_file_add",
    "paper_holder_set",
    "paper_receive",
    "queue_assign",
    "queue_follow",
    "queue_item_set_status",
    "queue_rebuild",
    "queue_refresh",
]
