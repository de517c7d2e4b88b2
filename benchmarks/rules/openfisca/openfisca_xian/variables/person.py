"""Person facts, as the registry records them now."""

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import ETERNITY
from openfisca_core.variables import Variable
from openfisca_xian.entities import Person
from openfisca_xian.enums import GigForm


class work_injury_disabled(Variable):
    value_type = bool
    entity = Person
    definition_period = ETERNITY
    label = "工伤致残（persons.work_injury_disabled）"


class gig_form(Variable):
    value_type = Enum
    possible_values = GigForm
    default_value = GigForm.none
    entity = Person
    definition_period = ETERNITY
    label = "新就业形态类别（persons.gig_form）"


class union_member(Variable):
    value_type = bool
    entity = Person
    definition_period = ETERNITY
    label = "工会会员（persons.union_member）"


class mutual_aid_year(Variable):
    value_type = int
    entity = Person
    definition_period = ETERNITY
    label = "参加住院互助的年度（persons.mutual_aid_year）"
