"""Entities: a person belongs to one household, as a member."""

from openfisca_core.entities import build_entity

Person = build_entity(key="person", plural="persons", label="人员", is_person=True)
Household = build_entity(
    key="household",
    plural="households",
    label="家庭",
    roles=[{"key": "member", "plural": "members", "label": "成员"}],
)

entities = [Household, Person]
