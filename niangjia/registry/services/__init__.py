"""Writes to the registry. Each service validates, runs in one transaction and audits."""

from niangjia.registry.services.enterprises import enterprise_assign, enterprise_create, enterprise_update
from niangjia.registry.services.households import (
    household_create,
    household_facts_update,
    member_add,
    member_facts_update,
)
from niangjia.registry.services.reveal import reveal
from niangjia.registry.services.workers import WorkerData, worker_merge, worker_register, worker_update

__all__ = [
    "WorkerData",
    "enterprise_assign",
    "enterprise_create",
    "enterprise_update",
    "household_create",
    "household_facts_update",
    "member_add",
    "member_facts_update",
    "reveal",
    "worker_merge",
    "worker_register",
    "worker_update",
]
