"""Writes to the registry. Each service validates, runs in one transaction and audits."""

from niangjia.registry.services.enterprises import enterprise_assign, enterprise_create, enterprise_update
from niangjia.registry.services.households import (
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
    worker_merge,
    worker_register,
    worker_update,
)

__all__ = [
    "WorkerData",
    "WorkerRegisteredElsewhere",
    "enterprise_assign",
    "enterprise_create",
    "enterprise_update",
    "household_create",
    "household_facts_update",
    "member_add",
    "member_facts_update",
    "reveal",
    "transfer_decide",
    "transfer_request",
    "worker_merge",
    "worker_register",
    "worker_search",
    "worker_update",
]
