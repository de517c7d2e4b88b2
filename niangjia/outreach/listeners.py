"""Who must hear of a home visit, inside its transaction: the parts above outreach register here.

Outreach never imports a higher part (ARCHITECTURE.md). Assistance keeps one-to-one contact households, and a
campaign home visit counts as a contact: it registers a listener from its `AppConfig.ready()`, and outreach calls
it with the home visits it has just written (one from the phone's sync, many from the bulk service), in the same
transaction, so the contact is logged exactly when the visit is. A listener that raises undoes the visits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from niangjia.outreach.models import Visit

HomeVisitListener = Callable[[Sequence["Visit"]], None]

_listeners: list[HomeVisitListener] = []


def home_visit_listener_add(listener: HomeVisitListener) -> None:
    """Call `listener(visits)` with the home visits each write has just recorded."""
    if listener not in _listeners:
        _listeners.append(listener)


def home_visit_listener_remove(listener: HomeVisitListener) -> None:
    """Stop calling `listener` (tests)."""
    if listener in _listeners:
        _listeners.remove(listener)


def home_visits_notify(visits: Sequence[Visit]) -> None:
    """Tell every listener of the home visits among `visits`; called by the services inside their transaction."""
    homes = [visit for visit in visits if visit.household_id is not None]
    if not homes:
        return
    for listener in list(_listeners):
        listener(homes)
