"""Tests for ID number, USCC and phone validation, generation and masking (no settings needed)."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from niangjia.core.identifiers import (
    ID_CHECKSUM_MESSAGE,
    PROVINCE_CODES,
    RESIDENCE_PERMIT_PROVINCES,
    USCC_CHARSET,
    USCC_CHECKSUM_MESSAGE,
    Sex,
    id_check_char,
    id_number_birth_date,
    id_number_sex,
    make_id_number,
    make_uscc,
    mask_id_number,
    mask_phone,
    mask_text,
    normalize_phone,
    validate_id_number,
    validate_uscc,
)

TODAY = date(2026, 1, 1)


def error_of(func: Callable[..., str], value: str, **kwargs: object) -> tuple[str | None, list[str]]:
    """Return (code, messages) of the ValidationError raised by ``func(value)``."""
    with pytest.raises(ValidationError) as caught:
        func(value, **kwargs)
    return caught.value.code, caught.value.messages


def with_check(first17: str) -> str:
    return first17 + id_check_char(first17)


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def areas(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    if province in RESIDENCE_PERMIT_PROVINCES:
        return province + "0000"
    return province + draw(st.from_regex(r"\A[0-9]{4}\Z"))


births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
SEXES: list[Sex] = ["M", "F"]
sexes = st.sampled_from(SEXES)


@st.composite
def id_numbers(draw: st.DrawFn, births: st.SearchStrategy[date] = births) -> str:
    return make_id_number(draw(areas()), draw(births), draw(st.integers(0, 499)), draw(sexes))


# --- 身份证号码: known values ---------------------------------------------------------


@pytest.mark.parametrize("value", ["11010519491231002X", "360426199101010071", "110105198503080129"])
def test_known_valid_id_numbers(value: str) -> None:
    assert validate_id_number(value) == value


def test_lower_case_x_spaces_and_full_width_are_normalised() -> None:
    assert validate_id_number(" 110105 19491231 002x ") == "11010519491231002X"
    assert validate_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert validate_id_number("１１０１０５　１９４９１２３１　００２ｘ") == "11010519491231002X"


def test_fifteen_digit_id_is_upgraded() -> None:
    assert validate_id_number("110105491231002") == "11010519491231002X"


def test_birth_date_and_sex() -> None:
    assert id_number_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert id_number_sex("11010519491231002X") == "F"
    assert id_number_sex("360426199101010071") == "M"
    assert id_number_birth_date("110105491231002") == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "id_length", "身份证号码不能为空"),
        ("11010519491231002", "id_length", "身份证号码应为 18 位（旧号码为 15 位），实际为 17 位"),
        ("110105194912310021X", "id_length", "身份证号码应为 18 位（旧号码为 15 位），实际为 19 位"),
        ("11010519491231A02X", "id_char", "身份证号码第 15 位“A”不是数字"),
        ("11010519491231002Y", "id_char", "身份证号码第 18 位“Y”不合法，只能是数字或 X"),
        ("11010549123100X", "id_char", "身份证号码第 15 位“X”不是数字"),
        ("110105194912310023", "id_checksum", ID_CHECKSUM_MESSAGE),
        ("00010519491231002X", "id_area", "身份证号码前两位“00”不是有效的省级行政区划代码"),
        ("71010519491231002X", "id_area", "身份证号码前两位“71”不是有效的省级行政区划代码"),
        ("81010519491231002X", "id_area", "港澳台居民居住证号码前六位应为 810000，实际为 810105"),
        ("110105194902300010", "id_date", "身份证号码中的出生日期 1949-02-30 不存在"),
        ("110105194913010010", "id_date", "身份证号码中的出生日期 1949-13-01 不存在"),
        ("110105190102290010", "id_date", "身份证号码中的出生日期 1901-02-29 不存在（1901 年不是闰年）"),
        ("110105190002290010", "id_date", "身份证号码中的出生日期 1900-02-29 不存在（1900 年不是闰年）"),
        ("110105189912310010", "id_date", "身份证号码中的出生日期 1899-12-31 早于 1900 年"),
        ("110105202601020010", "id_date", "身份证号码中的出生日期 2026-01-02 晚于今天"),
    ],
)
def test_id_number_errors(value: str, code: str, message: str) -> None:
    assert error_of(validate_id_number, value, today=TODAY) == (code, [message])


def test_leap_days() -> None:
    assert validate_id_number(with_check("11010520000229001")) == with_check("11010520000229001")
    assert validate_id_number(with_check("11010519960229001")).startswith("11010519960229")


def test_residence_permit_numbers_are_accepted() -> None:
    for area in ("810000", "820000", "830000"):
        value = with_check(f"{area}19900101001")
        assert validate_id_number(value) == value


def test_birth_today_is_accepted_and_tomorrow_is_not() -> None:
    value = with_check("11010520260101001")
    assert validate_id_number(value, today=TODAY) == value
    assert error_of(validate_id_number, value, today=date(2025, 12, 31))[0] == "id_date"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("6.10103E+17", "6.10103E+17"),
        ("6.10103e+17", "6.10103E+17"),
        (" 6.10103E+17 ", "6.10103E+17"),
        ("６.１０１０３Ｅ＋１７", "6.10103E+17"),
        ("1.10105E17", "1.10105E17"),
    ],
)
def test_excel_scientific_notation_is_detected(value: str, shown: str) -> None:
    assert error_of(validate_id_number, value) == (
        "id_excel_damaged",
        [
            f"身份证号码“{shown}”已被 Excel 转成了数字，末尾的数字已经丢失，无法还原。"
            "请把该列设置为“文本”格式后重新录入完整号码。"
        ],
    )


@pytest.mark.parametrize("value", ["110105194912310000.0", "610103.5"])
def test_excel_float_is_detected(value: str) -> None:
    assert error_of(validate_id_number, value)[0] == "id_excel_damaged"


def test_excel_lost_last_digits_is_detected() -> None:
    # Excel keeps 15 significant digits: 11010519491231002X typed as a number ends in 000.
    assert error_of(validate_id_number, "110105194912310000") == (
        "id_excel_damaged",
        [
            "身份证号码末三位为 000 且校验不通过，很可能是被 Excel 当作数字保存后丢失了末尾数字。"
            "请把该列设置为“文本”格式后重新录入完整号码。"
        ],
    )


# --- 身份证号码: properties -----------------------------------------------------------


@given(area=areas(), birth=births, seq=st.integers(0, 499), sex=sexes)
def test_generated_id_numbers_validate_and_round_trip(area: str, birth: date, seq: int, sex: Sex) -> None:
    value = make_id_number(area, birth, seq, sex)
    assert validate_id_number(value, today=TODAY) == value
    assert value[:6] == area
    assert id_number_birth_date(value) == birth
    assert id_number_sex(value) == sex
    assert int(value[14:17]) == 2 * seq + (sex == "M")


@given(value=id_numbers(), position=st.integers(0, 17), data=st.data())
def test_any_single_character_corruption_is_rejected(value: str, position: int, data: st.DataObject) -> None:
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != value[position]]))
    corrupted = value[:position] + replacement + value[position + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(corrupted, today=TODAY)


@given(value=id_numbers(births=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31))))
def test_fifteen_digit_form_upgrades_to_the_same_number(value: str) -> None:
    old = value[:6] + value[8:17]
    assert validate_id_number(old, today=TODAY) == value


@given(value=id_numbers(), lower=st.booleans())
def test_full_width_form_normalises(value: str, lower: bool) -> None:
    full_width = to_full_width(value.lower() if lower else value)
    assert validate_id_number(f"　{full_width[:6]} {full_width[6:]}　", today=TODAY) == value


def test_make_id_number_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="area"):
        make_id_number("990101", date(1990, 1, 1), 1, "M")
    with pytest.raises(ValueError, match="seq"):
        make_id_number("610103", date(1990, 1, 1), 500, "M")


# --- 统一社会信用代码 -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91110000600037341L", "81320506MC1234566D"])
def test_known_valid_usccs(value: str) -> None:
    assert validate_uscc(value) == value


def test_uscc_is_normalised() -> None:
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert validate_uscc(to_full_width("91350100m000100y43")) == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "uscc_length", "统一社会信用代码不能为空"),
        ("91350100M000100Y4", "uscc_length", "统一社会信用代码应为 18 位，实际为 17 位"),
        ("91350100M000100I43", "uscc_char", "统一社会信用代码第 16 位“I”不合法（代码中不使用字母 I、O、S、V、Z）"),
        ("91350100M00-100Y43", "uscc_char", "统一社会信用代码第 12 位“-”不合法"),
        ("91350100M000100Y44", "uscc_checksum", USCC_CHECKSUM_MESSAGE),
        (
            "9.13501E+17",
            "uscc_excel_damaged",
            "统一社会信用代码“9.13501E+17”已被 Excel 转成了数字，末尾的数字已经丢失，无法还原。"
            "请把该列设置为“文本”格式后重新录入完整号码。",
        ),
    ],
)
def test_uscc_errors(value: str, code: str, message: str) -> None:
    assert error_of(validate_uscc, value) == (code, [message])


uscc_bodies = st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17)


@given(body=uscc_bodies)
def test_generated_usccs_validate(body: str) -> None:
    value = make_uscc(body)
    assert value[:17] == body
    assert validate_uscc(value) == value


@given(body=uscc_bodies, position=st.integers(0, 17), data=st.data())
def test_any_single_uscc_character_corruption_is_rejected(body: str, position: int, data: st.DataObject) -> None:
    value = make_uscc(body)
    replacement = data.draw(st.sampled_from([c for c in USCC_CHARSET if c != value[position]]))
    with pytest.raises(ValidationError) as caught:
        validate_uscc(value[:position] + replacement + value[position + 1 :])
    assert caught.value.code == "uscc_checksum"


def test_make_uscc_rejects_bad_body() -> None:
    with pytest.raises(ValueError, match="17 characters"):
        make_uscc("91350100M000100I4")


# --- 电话号码 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-13812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("19912345678", "19912345678"),
        ("029-88886666", "029-88886666"),
        ("(029)88886666", "029-88886666"),
        ("（029）8888 6666", "029-88886666"),
        ("02988886666", "029-88886666"),
        ("029 8888 6666", "029-88886666"),
        ("010-6512345", "010-6512345"),
        ("0917-3212345", "0917-3212345"),
        ("09173212345", "0917-3212345"),
        ("029-88886666-123", "029-88886666-123"),
        ("029-88886666转123", "029-88886666-123"),
        ("029-88886666 分机 8", "029-88886666-8"),
        ("+86 29 8888 6666", "029-88886666"),
    ],
)
def test_normalize_phone(value: str, expected: str) -> None:
    assert normalize_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    ["12812345678", "1381234567", "138123456789", "88886666", "029-0888666", "abc", "029-88886666转分机"],
)
def test_normalize_phone_rejects(value: str) -> None:
    assert error_of(normalize_phone, value) == (
        "phone_invalid",
        [f"电话号码“{value}”格式不正确：手机号应为 1 开头的 11 位数字，固定电话请带区号，如 029-88886666"],
    )


def test_normalize_phone_rejects_empty() -> None:
    assert error_of(normalize_phone, "  ") == ("phone_invalid", ["电话号码不能为空"])


# --- 脱敏 -----------------------------------------------------------------------------


def test_masks() -> None:
    assert mask_id_number("610103199001011234") == "6101**********1234"
    assert mask_id_number("12345678") == "********"
    assert mask_id_number("") == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("029-88886666") == "029-****6666"
    assert mask_phone("0917-3212345-12") == "0917-***2345"
    assert mask_phone("12345") == "*****"
    assert mask_text("陕西省西安市雁塔区小寨东路 1 号") == "陕西省****"
    assert mask_text("6222021234567890123", keep=4, suffix=4) == "6222****0123"
    assert mask_text("张三") == "**"
    assert mask_text("") == ""


@pytest.mark.parametrize("last", "0123456789")
def test_a_wrong_check_digit_says_to_check_the_card_and_never_names_the_right_one(last: str) -> None:
    """Naming the "correct" last digit invites changing it so that a wrongly typed number passes."""
    body = "11010519491231002"
    if last == id_check_char(body):
        return
    with pytest.raises(ValidationError) as caught:
        validate_id_number(body + last)
    (message,) = caught.value.messages
    assert message == "身份证号码校验不通过，号码中可能有数字录错或前后颠倒。请对照身份证逐位核对全部 18 位号码。"
    assert "应为" not in message and caught.value.error_list[0].params is None


def test_a_wrong_uscc_check_character_says_to_check_the_licence() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_uscc("91350100M000100Y44")
    assert caught.value.messages == [
        "统一社会信用代码校验不通过，代码中可能有字符录错或前后颠倒。请对照营业执照逐位核对全部 18 位代码。"
    ]
    assert caught.value.messages[0] == USCC_CHECKSUM_MESSAGE and "3" not in caught.value.messages[0]
