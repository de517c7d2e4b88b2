"""Writes to the registry. Each service validates, runs in one transaction and audits."""

from niangjia.registry.services.bulk import UNSET, BulkOutcome, RowOutcome
from niangjia.registry.services.enterprises import (
    EnterpriseData,
    enterprise_assign,
    enterprise_bulk_register,
    enterprise_create,
    enterprise_update,
)
from niangjia.registry.services.households import (
    HouseholdData,
    HouseholdFacts,
    MemberData,
    MemberFacts,
    household_bulk_register,
    household_create,
    household_facts_update,
    member_add,
    member_facts_update,
)
from niangjia.registry.services.reveal import reveal, worker_search
from niangjia.registry.services.transfers import transfer_decide, transfer_request
from niangjia.registry.services.workers import (
    WorkerData,
    WorkerRegisteredElsewhere,
    worker_bulk_register,
    worker_merge,
    worker_register,
    worker_update,
)

__all__ = [
    "UNSET",
    "BulkOutcome",
    "EnterpriseData",
    "HouseholdData",
    "HouseholdFacts",
    "MemberData",
    "MemberFacts",
    "RowOutcome",
    "WorkerData",
    "WorkerRegisteredElsewhere",
    "enterprise_assign",
    "enterprise_bulk_register",
    "enterprise_create",
    "enterprise_update",
    "household_bulk_register",
    "household_create",
    "household_facts_update",
    "member_add",
    "member_facts_update",
    "reveal",
    "transfer_decide",
    "transfer_request",
    "worker_bulk_register",
    "worker_merge",
    "worker_register",
    "worker_search",
    "worker_update",
]
