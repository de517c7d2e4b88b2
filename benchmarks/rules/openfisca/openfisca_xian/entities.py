"""Entities: a person belongs to one household, as a member."""

from collections.abc import Sequence

from openfisca_core.entities import build_entity
from openfisca_core.simulations import Simulation, SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

Person = build_entity(key="person", plural="persons", label="人员", is_person=True)
Household = build_entity(
    key="household",
    plural="households",
    label="家庭",
    roles=[{"key": "member", "plural": "members", "label": "成员"}],
)

entities = [Household, Person]


def declare(tbs: TaxBenefitSystem, households: Sequence[str], persons: Sequence[str], of: Sequence[str]) -> Simulation:
    """A simulation of ``households`` whose ``persons`` are members of the households ``of``."""
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("person", persons)
    group = builder.declare_entity("household", households)
    builder.join_with_persons(group, of, ["member"] * len(persons))
    return builder.build(tbs)
