"""The archive's and the application's moves, each in one table: where a move leads and who may make it.

As in tickets/workflow.py: the table drives the service, the buttons a page shows and the API's
allowed values; an illegal move raises a Chinese ValidationError before anything is written.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from niangjia.assistance.choices import ApplicationStatus, ArchiveStatus
from niangjia.core.roles import Role

HANDLERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_STAFF, Role.CADRE})
# 上级工会复核: archiving, exits, cancellations, approvals and payments are the union office's.
SUPERVISORS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_STAFF})


@dataclass(frozen=True)
class Transition:
    move: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    needs_note: bool = False
    own_form: bool = False  # asks for more than a note, so not a plain button


def _table(*rows: Transition) -> dict[str, Transition]:
    return {row.move: row for row in rows}


class ArchiveMove(enum.StrEnum):
    VERIFY = "verify"
    ARCHIVE = "archive"
    REVIEW = "review"
    CONFIRM = "confirm"
    EXIT = "exit"
    DISMISS = "dismiss"
    CANCEL = "cancel"


A = ArchiveStatus
ARCHIVE_MOVES = _table(
    Transition(ArchiveMove.VERIFY, "入户核实", frozenset({A.SUSPECTED}), A.VERIFIED, HANDLERS, needs_note=True),
    # Needs a public notice that ended without an upheld objection (checked by the service).
    Transition(ArchiveMove.ARCHIVE, "审核建档", frozenset({A.VERIFIED}), A.ARCHIVED, SUPERVISORS),
    Transition(ArchiveMove.REVIEW, "开始年度复核", frozenset({A.ARCHIVED}), A.UNDER_REVIEW, HANDLERS),
    Transition(ArchiveMove.CONFIRM, "复核通过", frozenset({A.UNDER_REVIEW}), A.ARCHIVED, SUPERVISORS, own_form=True),
    Transition(
        ArchiveMove.EXIT, "脱困出档", frozenset({A.ARCHIVED, A.UNDER_REVIEW}), A.EXITED, SUPERVISORS, True, True
    ),
    Transition(ArchiveMove.DISMISS, "不予建档", frozenset({A.SUSPECTED, A.VERIFIED}), A.CANCELLED, HANDLERS, True),
    Transition(ArchiveMove.CANCEL, "注销档案", frozenset({A.ARCHIVED, A.UNDER_REVIEW}), A.CANCELLED, SUPERVISORS, True),
)


class ApplicationMove(enum.StrEnum):
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    REJECT = "reject"
    PAY = "pay"
    WITHDRAW = "withdraw"


S = ApplicationStatus
APPLICATION_MOVES = _table(
    Transition(ApplicationMove.SUBMIT, "提交审批", frozenset({S.DRAFT}), S.SUBMITTED, HANDLERS),
    Transition(ApplicationMove.RESUBMIT, "补正后重新提交", frozenset({S.REJECTED}), S.SUBMITTED, HANDLERS),
    Transition(ApplicationMove.APPROVE, "批准", frozenset({S.SUBMITTED}), S.APPROVED, SUPERVISORS),
    Transition(ApplicationMove.REJECT, "退回", frozenset({S.SUBMITTED}), S.REJECTED, SUPERVISORS, needs_note=True),
    Transition(ApplicationMove.PAY, "发放", frozenset({S.APPROVED}), S.PAID, SUPERVISORS),
    Transition(
        ApplicationMove.WITHDRAW,
        "撤回申请",
        frozenset({S.DRAFT, S.SUBMITTED, S.REJECTED}),
        S.WITHDRAWN,
        HANDLERS,
        needs_note=True,
    ),
)


def _role_may(user: Any, transition: Transition) -> bool:
    return bool(getattr(user, "is_superuser", False)) or getattr(user, "role", None) in transition.roles


def allowed(table: dict[str, Transition], *, status: str, user: Any) -> list[Transition]:
    """The moves `user`'s role may make from `status`, in table order."""
    return [t for t in table.values() if status in t.sources and _role_may(user, t)]


def check(table: dict[str, Transition], *, status: str, move: str, user: Any, note: str, labels: Any) -> Transition:
    """Return the transition, or raise a Chinese ValidationError naming why the move is refused."""
    transition = table.get(move)
    if transition is None:
        raise ValidationError({"move": f"没有“{move}”这一操作。"})
    if status not in transition.sources:
        raise ValidationError({"move": f"当前为“{labels(status).label}”，不能“{transition.label}”。"})
    if not _role_may(user, transition):
        raise ValidationError({"move": f"您的角色不能“{transition.label}”。"})
    if transition.needs_note and not note.strip():
        raise ValidationError({"note": f"“{transition.label}”须填写原因或说明。"})
    return transition
