"""Fund pools, their append-only double-entry ledger, commitments, disbursements and payment batches."""

from niangjia.funds.models.batches import PaymentBatch, PaymentLine
from niangjia.funds.models.ledger import LedgerEntry, LedgerTransaction
from niangjia.funds.models.payments import Commitment, Disbursement, HouseholdTally
from niangjia.funds.models.pools import Allocation, FundPool

__all__ = [
    "Allocation",
    "Commitment",
    "Disbursement",
    "FundPool",
    "HouseholdTally",
    "LedgerEntry",
    "LedgerTransaction",
    "PaymentBatch",
    "PaymentLine",
]
