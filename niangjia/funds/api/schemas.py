"""The funds API's schemas: money as exact decimals (JSON strings), every input ranged."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, StringConstraints

from niangjia.api_fields import NO_NUL, Day, Id, Text200
from niangjia.core.ranges import MONEY_MAX, YEAR_MAX, YEAR_MIN
from niangjia.funds.choices import (
    Account,
    AllocationSource,
    BatchStatus,
    CommitmentStatus,
    DisbursementStatus,
    LineStatus,
    PoolLevel,
    Programme,
    TxKind,
)

Money = Annotated[
    Decimal,
    Field(ge=Decimal("0.01"), le=MONEY_MAX, max_digits=10, decimal_places=2, description="金额（元），到分"),
]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]
Key = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")]


class PoolOut(Schema):
    id: int
    name: str
    programme: Programme
    year: int
    level: PoolLevel
    org_id: int
    note: str
    allocated: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal


class PoolIn(Schema):
    programme: Programme
    year: Year
    org_id: Id
    name: Text200 = ""
    note: Text200 = ""


class AllocationOut(Schema):
    id: int
    pool_id: int
    amount: Decimal
    source: AllocationSource
    received_on: Any
    note: str
    transaction_id: int
    reversal_id: int | None
    reversal_reason: str


class AllocationIn(Schema):
    amount: Money
    source: AllocationSource
    received_on: Day | None = None
    note: Text200 = ""


class ReasonIn(Schema):
    reason: Reason


class LineOut(Schema):
    account: Account
    amount: Decimal


class TransactionOut(Schema):
    id: int
    kind: TxKind
    at: datetime
    reference: str
    note: str
    actor: str | None
    reverses_id: int | None
    lines: list[LineOut]


class CommitmentOut(Schema):
    id: int
    pool_id: int
    amount: Decimal
    household_id: int
    beneficiary_ref: str
    period: str
    once_per_period: bool
    reference: str
    note: str
    status: CommitmentStatus
    created_at: datetime
    closed_at: datetime | None
    close_reason: str


class DisbursementOut(Schema):
    id: int
    commitment_id: int
    pool_id: int
    household_id: int
    amount: Decimal
    idempotency_key: str
    status: DisbursementStatus
    paid_at: datetime
    returned_at: datetime | None
    return_reason: str


class PayIn(Schema):
    idempotency_key: Key


class BatchOut(Schema):
    id: int
    code: str
    org_id: int
    status: BatchStatus
    line_count: int
    total: Decimal
    note: str
    created_at: datetime
    exports: int
    settled_at: datetime | None


class BatchLineOut(Schema):
    seq: int
    reference: str
    commitment_id: int
    payee_name: str
    id_masked: str
    bank: str
    account_masked: str
    amount: Decimal
    memo: str
    status: LineStatus
    failure_reason: str
    disbursement_id: int | None


class RowErrorOut(Schema):
    row: int
    column: str
    value: str
    reason: str


class BatchImportOut(Schema):
    rows: int
    paid: int
    failed: int
    unchanged: int


class ReportTableOut(Schema):
    title: str
    key: str
    header: list[str]
    rows: list[list[str | Decimal | int]]


class ReportOut(Schema):
    allocated: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal
    pools: int
    households: int | str
    tables: list[ReportTableOut]
