"""gig_training_subsidy 新就业形态技能补贴: a gig worker and union member with a vocational skill
certificate within 365 days gets min(training cost, 3000), once per person per calendar year."""

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable
from openfisca_xian.entities import Person
from openfisca_xian.enums import GIG_FORMS
from openfisca_xian.windows import any_day, max_day, within_days, year_to_date


class gig_worker(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "新就业形态劳动者"

    def formula(person, period):
        form = person("gig_form", period)
        return np.logical_or.reduce([form == gig for gig in GIG_FORMS])


class skill_certificate_within_365_days(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "近 365 天取得职业技能证书"

    def formula(person, period):
        return any_day(person, "skill_certificate", within_days(period, 365))


class training_cost(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "近 365 天所取得证书中最高的培训费"
    unit = "currency-CNY"

    def formula(person, period):
        return max_day(person, "skill_certificate_cost", within_days(period, 365))


class gig_training_subsidy_paid_this_year(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "本年已领取技能补贴"

    def formula(person, period):
        return any_day(person, "gig_training_subsidy_paid", year_to_date(period))


class gig_training_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "技能补贴金额（培训费，不超过上限）"
    unit = "currency-CNY"
    reference = "policies/gig_training_subsidy.yaml"

    def formula_2025_01_01(person, period, parameters):
        return np.minimum(person("training_cost", period), parameters(period).gig_training_cap)


class gig_training_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "技能补贴：新就业形态、工会会员、近 365 天取得证书、本年未领"
    reference = "policies/gig_training_subsidy.yaml"

    def formula_2025_01_01(person, period):
        return (
            person("gig_worker", period)
            & person("union_member", period)
            & person("skill_certificate_within_365_days", period)
            & ~person("gig_training_subsidy_paid_this_year", period)
        )
