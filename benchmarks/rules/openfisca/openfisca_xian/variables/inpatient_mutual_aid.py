"""inpatient_mutual_aid 职工住院互助: enrolled this calendar year; each stay of this year pays
50 × (days − 3) when longer than 3 days; cap 4500 per person per year net of this year's payments."""

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable
from openfisca_xian.entities import Person
from openfisca_xian.windows import each_day, total, year_to_date


class inpatient_mutual_aid_enrolled(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "已参加本年度住院互助"

    def formula(person, period):
        return person("mutual_aid_year", period) == period.start.year


class inpatient_paid_days_this_year(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "本年各次住院超过 3 天的天数之和"

    def formula(person, period):
        stays = each_day(person, "inpatient_stay_days", year_to_date(period))
        return sum(np.maximum(days - 3, 0) for days in stays)


class inpatient_long_stay_this_year(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "本年有住院超过 3 天的记录"

    def formula(person, period):
        # A stay pays for its days beyond the third: some stay is longer than 3 days exactly
        # when this year's paid days are positive.
        return person("inpatient_paid_days_this_year", period) > 0


class inpatient_mutual_aid_paid_this_year(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "本年已领住院互助金额"
    unit = "currency-CNY"

    def formula(person, period):
        return total(person, "inpatient_mutual_aid_paid", year_to_date(period))


class inpatient_mutual_aid(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "住院互助金额（扣除本年已领后不超过年度上限）"
    unit = "currency-CNY"
    reference = "policies/inpatient_mutual_aid.yaml"

    def formula_2025_01_01(person, period, parameters):
        p = parameters(period)
        # Money to the fen: the float32 sum of this year's payments is rounded before the cap.
        paid = np.round(person("inpatient_mutual_aid_paid_this_year", period).astype(np.float64), 2)
        return np.minimum(p.inpatient_daily * person("inpatient_paid_days_this_year", period), p.inpatient_cap - paid)


class inpatient_mutual_aid_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "住院互助：已参加本年度互助、本年住院超过 3 天、上限内尚有余额"
    reference = "policies/inpatient_mutual_aid.yaml"

    def formula_2025_01_01(person, period):
        return (
            person("inpatient_mutual_aid_enrolled", period)
            & person("inpatient_long_stay_this_year", period)
            & (person("inpatient_mutual_aid", period) > 0)
        )
