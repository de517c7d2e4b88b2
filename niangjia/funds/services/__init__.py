"""Funds writes. Each service checks scope, validates, runs in one transaction with its audit entry.

The interface the assistance part uses (docs/funds.md lists it with its signatures):
`commitment_create`, `commitment_pool_lock`, `commitment_release`, `disbursement_pay`, `disbursement_fail`,
`payment_batch_create`, and `niangjia.funds.listeners.payment_listener_add`.
"""

from niangjia.funds.services.bank_results import BatchImportResult, payment_batch_import
from niangjia.funds.services.batches import PayeeLine, payment_batch_create, payment_batch_export
from niangjia.funds.services.commitments import commitment_create, commitment_pool_lock, commitment_release
from niangjia.funds.services.disbursements import disbursement_fail, disbursement_pay
from niangjia.funds.services.ledger import household_cap
from niangjia.funds.services.pools import allocation_add, allocation_reverse, pool_create

__all__ = [
    "BatchImportResult",
    "PayeeLine",
    "allocation_add",
    "allocation_reverse",
    "commitment_create",
    "commitment_pool_lock",
    "commitment_release",
    "disbursement_fail",
    "disbursement_pay",
    "household_cap",
    "payment_batch_create",
    "payment_batch_export",
    "payment_batch_import",
    "pool_create",
]
