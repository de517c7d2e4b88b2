"""Numbers of indicators as pages, the bulletin and exports print them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from niangjia.core.templatetags.formats import money
from niangjia.reports.choices import Measure
from niangjia.reports.suppression import Mark

HIDDEN_TEXT = {Mark.SMALL: "<5", Mark.COMPLEMENT: "*"}
HIDDEN_NOTE = "<5：不足 5 人，不显示具体数字；*：为防止由合计推算出不足 5 的数而一并隐去。"


def number_text(measure: str, raw: Any, *, unit: str = "") -> str:
    """One shown number: "1,234", "¥1,234.50", "85.0%", "4.62 分"; "—" when there is none."""
    if raw is None:
        return "—"
    if measure == Measure.MONEY:
        return money(raw)
    if measure == Measure.RATIO:
        return f"{float(raw):.1f}%"
    if measure == Measure.MEAN:
        return f"{float(raw):.2f} {unit}".strip()
    return f"{int(raw):,}"


def cell_text(measure: str, raw: Any, mark: str, *, unit: str = "") -> str:
    """A cell as shown: its number, or the mark of a hidden one."""
    if mark:
        return HIDDEN_TEXT[Mark(mark)]
    return number_text(measure, raw, unit=unit)


def wan_yuan(amount: Decimal | int | None) -> str:
    """An amount in 万元 for a headline sentence: "342.15万元"."""
    value = Decimal(amount or 0) / Decimal(10000)
    return f"{value.quantize(Decimal('0.01'))}万元"
