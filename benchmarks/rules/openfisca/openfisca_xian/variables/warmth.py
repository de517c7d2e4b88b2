"""warmth 送温暖: once per household per season (1 Nov – end of February), by archive level,
else 500 for a family with a work-injury disability, a death on duty within 365 days or a major
surgery within 90 days."""

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable
from openfisca_xian.entities import Household, Person
from openfisca_xian.enums import ArchiveLevel
from openfisca_xian.windows import any_day, season_to_date, within_days


class death_on_duty_within_365_days(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "近 365 天内因公牺牲"

    def formula(person, period):
        return any_day(person, "death_on_duty", within_days(period, 365))


class major_surgery_within_90_days(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "近 90 天内重大手术"

    def formula(person, period):
        return any_day(person, "major_surgery", within_days(period, 90))


class warmth_paid_this_season(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "本季（11 月 1 日至今）已领取送温暖"

    def formula(person, period):
        season = season_to_date(period)
        return person.filled_array(False) if season is None else any_day(person, "warmth_paid", season)


class warmth_care_family(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "工伤致残、近 365 天因公牺牲或近 90 天重大手术的家庭"

    def formula(household, period):
        members = household.members
        return household.any(
            members("work_injury_disabled", period)
            | members("death_on_duty_within_365_days", period)
            | members("major_surgery_within_90_days", period)
        )


class warmth(Variable):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "送温暖金额（按档案级别，否则困难关爱 500）"
    unit = "currency-CNY"
    reference = "policies/warmth.yaml"

    def formula_2025_01_01(household, period, parameters):
        amount = parameters(period).warmth_amount
        level = household("archive_level", period)
        return np.select(
            [
                level == ArchiveLevel.deep,
                level == ArchiveLevel.relative,
                level == ArchiveLevel.sudden,
                household("warmth_care_family", period),
            ],
            [amount.deep, amount.relative, amount.sudden, amount.care],
            0,
        )


class warmth_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "送温暖：季内、本季未领、在档或困难关爱家庭"
    reference = "policies/warmth.yaml"

    def formula_2025_01_01(household, period):
        if season_to_date(period) is None:
            return household.filled_array(False)
        has_level = (household("archive_level", period) != ArchiveLevel.none) | household("warmth_care_family", period)
        paid = household.any(household.members("warmth_paid_this_season", period))
        return has_level & ~paid
