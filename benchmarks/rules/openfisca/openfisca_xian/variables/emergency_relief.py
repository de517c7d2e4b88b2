"""emergency_relief 紧急救助: a member's sudden event within 90 days (the most severe counts), no
emergency relief paid to the household within 365 days."""

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable
from openfisca_xian.entities import Household, Person
from openfisca_xian.windows import any_day, max_day, within_days


class sudden_event_severity_within_90_days(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "近 90 天内最严重突发事件的严重程度（0 = 无）"

    def formula(person, period):
        return max_day(person, "sudden_event_severity", within_days(period, 90))


class emergency_relief_paid_within_365_days(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "近 365 天内已领取紧急救助"

    def formula(person, period):
        return any_day(person, "emergency_relief_paid", within_days(period, 365))


class emergency_relief_worst_severity(Variable):
    value_type = int
    entity = Household
    definition_period = DAY
    label = "家庭成员近 90 天内最严重突发事件的严重程度（0 = 无）"

    def formula(household, period):
        return household.max(household.members("sudden_event_severity_within_90_days", period))


class emergency_relief(Variable):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "紧急救助金额（按最严重事件）"
    unit = "currency-CNY"
    reference = "policies/emergency_relief.yaml"

    def formula_2025_01_01(household, period, parameters):
        amount = parameters(period).emergency_amount
        worst = household("emergency_relief_worst_severity", period)
        return np.select([worst >= 3, worst == 2], [amount.extreme, amount.serious], amount.general)


class emergency_relief_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "紧急救助：近 90 天有突发事件、近 365 天未领"
    reference = "policies/emergency_relief.yaml"

    def formula_2025_01_01(household, period):
        recent_event = household("emergency_relief_worst_severity", period) > 0
        relieved = household.any(household.members("emergency_relief_paid_within_365_days", period))
        return recent_event & ~relieved
