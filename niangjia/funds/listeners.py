"""Who must hear of a payment, inside its transaction: the parts above funds register here.

Funds never imports a higher part (ARCHITECTURE.md). A part that keeps its own record of what was paid
— assistance writes the registry's `ReceivedAid`, the engine's `payments` — registers a listener from
its `AppConfig.ready()`; funds calls it inside the transaction that pays or returns the money, so the
two records commit or roll back together, whichever door the payment came in by (a page, the API,
a bank result file). A listener that raises undoes the payment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from niangjia.funds.models import Disbursement

PaymentEvent = Literal["paid", "returned"]
PaymentListener = Callable[["Disbursement", PaymentEvent], None]

_listeners: list[PaymentListener] = []


def payment_listener_add(listener: PaymentListener) -> None:
    """Call `listener(disbursement, event)` after each payment ("paid") and return ("returned")."""
    if listener not in _listeners:
        _listeners.append(listener)


def payment_listener_remove(listener: PaymentListener) -> None:
    """Stop calling `listener` (tests)."""
    if listener in _listeners:
        _listeners.remove(listener)


def payment_notify(disbursement: Disbursement, event: PaymentEvent) -> None:
    """Tell every listener; called by the services inside their transaction."""
    for listener in list(_listeners):
        listener(disbursement, event)
