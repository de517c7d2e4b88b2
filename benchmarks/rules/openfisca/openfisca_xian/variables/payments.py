"""Payments already made, one DAY input per policy, on the person on the day paid (payments.paid_on).

The flags say a payment of that policy was made that day (several → still one flag); the
inpatient mutual aid amount is the day's total.
"""

from openfisca_core.periods import DAY
from openfisca_core.variables import Variable
from openfisca_xian.entities import Person


class warmth_paid(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "当天发放了送温暖"


class emergency_relief_paid(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "当天发放了紧急救助"


class inpatient_mutual_aid_paid(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "当天发放的住院互助金额"
    unit = "currency-CNY"


class gig_training_subsidy_paid(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "当天发放了技能补贴"
