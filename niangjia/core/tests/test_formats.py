"""The `money` filter: one format for money on every page."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from niangjia.core.templatetags.formats import money


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("6854247.06000000"), "¥6,854,247.06"),
        (Decimal("1234.5"), "¥1,234.50"),
        (0, "¥0.00"),
        (999, "¥999.00"),
        (0.1, "¥0.10"),
        ("15320", "¥15,320.00"),
        (Decimal("0.005"), "¥0.01"),
        (Decimal("-1234.5"), "-¥1,234.50"),
        (None, "—"),
        ("", "—"),
        ("abc", "—"),
        (Decimal("NaN"), "—"),
    ],
)
def test_money(value: object, text: str) -> None:
    assert money(value) == text  # type: ignore[arg-type]


def test_money_in_a_template() -> None:
    page = Template("{% load formats %}{{ a|money }}").render(Context({"a": Decimal("119892.570000000")}))
    assert page == "¥119,892.57"
