"""History windows as OpenFisca periods.

A rule evaluated on day ``period`` (the as-of date) looks back over a multi-day period; its
formula reads a DAY input on each DAY sub-period of that window and reduces them (any, max, or
OpenFisca's own ``ADD``). Every window ends on the as-of day itself, so rows dated after it are
never read. Boundaries follow RULES.md: "within N days" is ``as_of − N ≤ date ≤ as_of``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import numpy as np
from openfisca_core.periods import DAY, Instant, Period
from openfisca_core.populations import ADD, Population


def _up_to(start: Instant, period: Period) -> Period:
    """The days from ``start`` up to and including the period's (first) day."""
    return Period((DAY, start, (period.start.date - start.date).days + 1))


def within_days(period: Period, days: int) -> Period:
    """``as_of − days ≤ date ≤ as_of``: the ``days + 1`` days ending on the as-of day."""
    return _up_to(period.start.offset(-days, DAY), period)


def year_to_date(period: Period) -> Period:
    """This calendar year up to the as-of day (1 January … as_of)."""
    return _up_to(Instant((period.start.year, 1, 1)), period)


def season_of(instant: Instant) -> int | None:
    """The warmth season (1 November – end of February) containing ``instant``, named by its
    start year; ``None`` from March to October."""
    if instant.month >= 11:
        return instant.year
    if instant.month <= 2:
        return instant.year - 1
    return None


def season_to_date(period: Period) -> Period | None:
    """This warmth season up to the as-of day (1 November … as_of); ``None`` out of season."""
    season = season_of(period.start)
    return None if season is None else _up_to(Instant((season, 11, 1)), period)


def each_day(population: Population, variable: str, window: Period) -> Iterator[np.ndarray]:
    """``variable`` on each day of ``window``, oldest first."""
    for day in window.get_subperiods(DAY):
        yield population(variable, day)


def any_day(population: Population, variable: str, window: Period) -> np.ndarray:
    """True where the DAY flag ``variable`` is set on some day of ``window``."""
    return functools.reduce(np.logical_or, each_day(population, variable, window))


def max_day(population: Population, variable: str, window: Period) -> np.ndarray:
    """Largest value of the DAY input ``variable`` over ``window`` (0 where nothing happened)."""
    return functools.reduce(np.maximum, each_day(population, variable, window))


def total(population: Population, variable: str, window: Period) -> np.ndarray:
    """Sum of the DAY input ``variable`` over ``window`` (OpenFisca's ``ADD``)."""
    return population(variable, window, options=[ADD])
