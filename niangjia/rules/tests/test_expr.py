"""The expression language is a whitelist: nothing can reach Python."""

import datetime as dt

import polars as pl
import pytest

from niangjia.rules.language.expression import Compiler, Scope
from niangjia.rules.language.typed import ExprError, Typed


def _scope() -> Scope:
    return Scope(dt.date(2025, 6, 1), {"x": Typed(pl.col("x"), "int"), "m": Typed(pl.col("m"), "money")})


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('id')",
        "x.__class__",
        "(lambda: 1)()",
        "[y for y in [1]]",
        "open('/etc/passwd')",
        "_secret",
        "x if True else __builtins__",
        "f'{x}'",
        "{'a': 1}",
        "x is None",
        "eval('1')",
        "getattr(x, 'y')",
        "*x",
        "(y := 1)",
        "x[0]",
        "m.real",
        "1 +",
    ],
)
def test_rejected(source: str) -> None:
    with pytest.raises(ExprError) as err:
        Compiler(_scope()).compile(source)
    assert err.value.message and err.value.fix


def _eval(source: str, **cols: list) -> list:
    t = Compiler(_scope()).compile(source)
    n = max(len(v) for v in cols.values())
    frame = pl.DataFrame(
        {"x": cols.get("x", [None] * n), "m": cols.get("m", [None] * n)}, schema={"x": pl.Int64, "m": pl.Int64}
    )
    return frame.select(t.expr.alias("r"))["r"].to_list()


def test_three_valued_logic() -> None:
    assert _eval("x > 1 and x < 5", x=[3, 7, None]) == [True, False, None]
    assert _eval("x > 1 or True", x=[None]) == [True]
    assert _eval("1 if x > 1 else 2", x=[None, 5, 0]) == [None, 1, 2]
    assert _eval("min(x, 3)", x=[None, 5]) == [None, 3]
    assert _eval("x in [1, 2]", x=[None, 1, 3]) == [None, True, False]


def test_money_literals_are_yuan_and_exact() -> None:
    # m is fen: 1234.56 yuan; 0.8 × is exact integer arithmetic, compared in fen.
    assert _eval("m > 1234.55", m=[123456, 123455]) == [True, False]
    assert _eval("m * 0.8", m=[123456]) == [pytest.approx(98764.8)]
    assert _eval("min(m, 3000)", m=[500000]) == [300000]


def test_windows_follow_rules_md() -> None:
    scope = Scope(dt.date(2025, 6, 1), {"d": Typed(pl.col("d"), "date")})
    frame = pl.DataFrame({"d": [dt.date(2024, 6, 1), dt.date(2024, 5, 31), dt.date(2025, 6, 2)]})
    within = Compiler(scope).compile("within_days(d, 365)")
    before = Compiler(scope).compile("before_days(d, 365)")
    assert frame.select(within.expr)["d"].to_list() == [True, False, False]
    assert frame.select(before.expr)["d"].to_list() == [False, True, False]
