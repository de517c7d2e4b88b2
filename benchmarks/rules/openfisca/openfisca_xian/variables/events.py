"""Events, one DAY input per kind, on the person on the day of the event (events.date).

Several events of one kind for one person on one day are combined when the data is loaded:
flags with "any", stay days summed, severity and certificate cost by their maximum (the rules
read the most severe event and the costliest certificate).
"""

from openfisca_core.periods import DAY
from openfisca_core.variables import Variable
from openfisca_xian.entities import Person


class death_on_duty(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "当天因公牺牲（events.kind = death_on_duty）"


class major_surgery(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "当天重大手术（events.kind = major_surgery）"


class sudden_event_severity(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "当天突发事件的严重程度 1–3，0 = 当天无突发事件（events.severity）"


class inpatient_stay_days(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "当天入院的住院天数（events.days，kind = inpatient_stay）"


class skill_certificate(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "当天取得职业技能证书（events.kind = skill_certificate）"


class skill_certificate_cost(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "当天取得的职业技能证书的培训费（events.amount）"
    unit = "currency-CNY"
