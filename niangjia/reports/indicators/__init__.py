"""Every indicator, defined once, in the order pages show them (see base.py for what an indicator is)."""

from __future__ import annotations

from niangjia.reports.indicators import assistance, outreach, tickets, visits
from niangjia.reports.indicators.base import Column, Indicator, Listing, Source

INDICATORS: list[Indicator] = [*outreach.INDICATORS, *visits.INDICATORS, *tickets.INDICATORS, *assistance.INDICATORS]
# The money table of the dashboard: by level, then by programme (each a part of money_paid).
MONEY = [code for _, code in assistance.LEVELS] + [code for _, code in assistance.PROGRAMMES]
BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
assert len(BY_CODE) == len(INDICATORS), "indicator codes must be unique"


# The dashboard's progress against targets: (done, target, rate); the first of each pair that exists counts.
PROGRESS: list[tuple[str, str, str]] = [
    ("enterprises_visited", "enterprises_target", "enterprises_progress"),
    ("homes_visited", "homes_target", "homes_progress"),
]
# The weekly trend's series, and the enterprises the map places.
TREND = ["enterprises_visited", "homes_visited", "needs_raised", "hazards_reported"]
MAP = "enterprises_visited"


def indicator(code: str) -> Indicator:
    """The indicator of a code name (KeyError when there is none)."""
    return BY_CODE[code]


def sections() -> list[tuple[str, list[Indicator]]]:
    """The indicators by section, in page order."""
    found: dict[str, list[Indicator]] = {}
    for item in INDICATORS:
        found.setdefault(item.section, []).append(item)
    return list(found.items())


def stored() -> list[Indicator]:
    """The indicators kept in the pre-aggregated daily counts (those counted from records)."""
    return [item for item in INDICATORS if item.source is not None]


__all__ = [
    "BY_CODE",
    "INDICATORS",
    "MAP",
    "MONEY",
    "PROGRESS",
    "TREND",
    "Column",
    "Indicator",
    "Listing",
    "Source",
    "indicator",
    "sections",
    "stored",
]
