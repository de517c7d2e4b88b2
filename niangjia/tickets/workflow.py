"""The ticket state machine, in one table: which move leads where, and which roles may make it.

A small table rather than django-fsm-2 or viewflow: five states and five moves fit on one screen,
the same table drives the service, the buttons a page shows and the API's allowed values, and
it needs no model mixin or `save()` magic (STYLE.md: no logic in `save()`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from niangjia.core.roles import Role
from niangjia.tickets.choices import Kind, Status


class Move(enum.StrEnum):
    ACCEPT = "accept"
    START = "start"
    VERIFY = "verify"
    TRIAGE = "triage"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    CONFIRM = "confirm"


HANDLERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_STAFF, Role.ENTERPRISE_CHAIR, Role.CADRE})
# Closing (after the follow-up call) and reopening are a supervisor's decision, not the handler's.
SUPERVISORS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_STAFF, Role.ENTERPRISE_CHAIR})
# The requester, on the public page with the tracking code: not a staff role, so no staff button shows it.
REQUESTER = "requester"
# A hazard is accepted by triage (一般 / 重大), which has its own form; other kinds by a plain acceptance.
NOT_HAZARDS = frozenset(Kind.values) - {Kind.HAZARD}
HAZARDS = frozenset({Kind.HAZARD})


@dataclass(frozen=True)
class Transition:
    move: Move
    label: str
    sources: frozenset[str]
    target: Status
    roles: frozenset[str]
    needs_note: bool = False
    kinds: frozenset[str] | None = None  # None: every kind
    own_form: bool = False  # asks for more than a note (triage: the grade), so not a plain button


TRANSITIONS: dict[Move, Transition] = {
    t.move: t
    for t in (
        Transition(Move.ACCEPT, "受理", frozenset({Status.RECEIVED}), Status.ACCEPTED, HANDLERS, kinds=NOT_HAZARDS),
        Transition(
            Move.TRIAGE,
            "分级受理",
            frozenset({Status.RECEIVED}),
            Status.ACCEPTED,
            HANDLERS,
            kinds=HAZARDS,
            own_form=True,
        ),
        Transition(Move.START, "开始办理", frozenset({Status.ACCEPTED}), Status.IN_PROGRESS, HANDLERS),
        # Verification leaves the status as it is: it records that the rectification was checked on site.
        Transition(
            Move.VERIFY,
            "整改验收",
            frozenset({Status.IN_PROGRESS}),
            Status.IN_PROGRESS,
            HANDLERS,
            needs_note=True,
            kinds=HAZARDS,
        ),
        Transition(
            Move.RESOLVE,
            "办结",
            frozenset({Status.ACCEPTED, Status.IN_PROGRESS}),
            Status.RESOLVED,
            HANDLERS,
            needs_note=True,
        ),
        Transition(Move.CLOSE, "回访结案", frozenset({Status.RESOLVED}), Status.CLOSED, SUPERVISORS),
        Transition(
            Move.REOPEN,
            "重新办理",
            frozenset({Status.RESOLVED, Status.CLOSED}),
            Status.IN_PROGRESS,
            SUPERVISORS,
            needs_note=True,
        ),
        Transition(Move.CONFIRM, "评价并结案", frozenset({Status.RESOLVED}), Status.CLOSED, frozenset({REQUESTER})),
    )
}

MOVE_LABELS = {move: t.label for move, t in TRANSITIONS.items()}


def _role_may(user: Any, transition: Transition) -> bool:
    if user is None:
        return REQUESTER in transition.roles
    if transition.roles == {REQUESTER}:
        return False
    return bool(user.is_superuser) or user.role in transition.roles


def _fits(kind: str | None, transition: Transition) -> bool:
    return kind is None or transition.kinds is None or kind in transition.kinds


def allowed_moves(*, status: str, user: Any, kind: str | None = None) -> list[Transition]:
    """Return the moves `user`'s role may make from `status` on a ticket of `kind`, in table order."""
    return [t for t in TRANSITIONS.values() if status in t.sources and _role_may(user, t) and _fits(kind, t)]


def check_move(*, status: str, move: str, user: Any, note: str, kind: str | None = None) -> Transition:
    """Return the transition, or raise a Chinese ValidationError naming why the move is refused."""
    try:
        transition = TRANSITIONS[Move(move)]
    except ValueError:
        raise ValidationError({"move": f"没有“{move}”这一办理操作。"}) from None
    if kind is not None and not _fits(kind, transition):
        hint = "安全隐患须“分级受理”。" if move == Move.ACCEPT else ""
        raise ValidationError({"move": f"“{Kind(kind).label}”不能“{transition.label}”。{hint}"})
    if status not in transition.sources:
        now = Status(status).label
        raise ValidationError({"move": f"诉求当前为“{now}”，不能“{transition.label}”。"})
    if not _role_may(user, transition):
        raise ValidationError({"move": f"您的角色不能“{transition.label}”。"})
    if transition.needs_note and not note.strip():
        raise ValidationError({"note": f"“{transition.label}”须填写说明。"})
    return transition
