"""Household facts, as the registry records them now."""

from datetime import date

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import ETERNITY
from openfisca_core.variables import Variable
from openfisca_xian.entities import Household
from openfisca_xian.enums import ArchiveLevel


class archive_level(Variable):
    value_type = Enum
    possible_values = ArchiveLevel
    default_value = ArchiveLevel.none
    entity = Household
    definition_period = ETERNITY
    label = "困难档案级别（households.archive_level）"


class last_review_date(Variable):
    value_type = date
    entity = Household
    definition_period = ETERNITY
    label = "上次复核日期（households.last_review_date）"
