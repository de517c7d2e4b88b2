"""Registry models: enterprises, workers, households and the facts policies read."""

from niangjia.registry.models.enterprise import Enterprise, EnterpriseAssignment
from niangjia.registry.models.evidence import Document, LifeEvent, ReceivedAid
from niangjia.registry.models.household import Household, HouseholdCircumstances, HouseholdMember, MemberCircumstances
from niangjia.registry.models.transfer import WorkerTransfer
from niangjia.registry.models.worker import Employment, Worker

__all__ = [
    "Document",
    "Employment",
    "Enterprise",
    "EnterpriseAssignment",
    "Household",
    "HouseholdCircumstances",
    "HouseholdMember",
    "LifeEvent",
    "MemberCircumstances",
    "ReceivedAid",
    "Worker",
    "WorkerTransfer",
]
