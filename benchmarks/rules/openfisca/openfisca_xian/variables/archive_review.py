"""archive_review 年度复核: an archived household whose last review is more than 365 days old."""

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable
from openfisca_xian.entities import Household
from openfisca_xian.enums import ArchiveLevel


class archive_review_due(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "年度复核：在档且上次复核早于 365 天前"
    reference = "policies/archive_review.yaml"

    def formula_2025_01_01(household, period):
        archived = household("archive_level", period) != ArchiveLevel.none
        # "More than 365 days before": date < as_of − 365 days.
        bound = np.datetime64(period.start.offset(-365, DAY).date.isoformat())
        return archived & (household("last_review_date", period) < bound)
