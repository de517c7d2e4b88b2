"""Validate, normalise, generate and mask Chinese personal and enterprise identifiers.

Pure functions: no models, no settings. Validators return the canonical form or raise
``django.core.exceptions.ValidationError`` with a Simplified Chinese message, a
``code`` and ``params`` (the message is a ``%``-template, ready for gettext later).

Error codes
    身份证号码 (GB 11643-1999): ``id_length``, ``id_char``, ``id_area``, ``id_date``,
    ``id_checksum``, ``id_excel_damaged``.
    统一社会信用代码 (GB 32100-2015): ``uscc_length``, ``uscc_char``, ``uscc_checksum``,
    ``uscc_excel_damaged``.
    电话号码: ``phone_invalid``.

Positions in messages count characters after normalisation (spaces removed), from 1.
"""

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Literal

from django.core.exceptions import ValidationError

Sex = Literal["M", "F"]

# Province-level GB/T 2260 codes that begin an ID number: the 31 mainland divisions,
# plus 81/82/83 used since 2018 by the residence permits (居住证) of people from Hong
# Kong, Macao and Taiwan, whose address code is exactly 810000/820000/830000.
# 71 (Taiwan in GB/T 2260) begins no ID number, so it is rejected. So is the leading
# "9" of the 2023 foreign permanent resident ID card: it is not a 居民身份证.
PROVINCE_CODES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建",
    "36": "江西", "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
    "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
    "81": "香港", "82": "澳门", "83": "台湾",
}  # fmt: skip
RESIDENCE_PERMIT_PROVINCES = frozenset({"81", "82", "83"})

# 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
_ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
_ID_CHECK_CHARS = "10X98765432"

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
# 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
_USCC_WEIGHTS = [3**i % 31 for i in range(17)]

# Excel turned the cell into a number: "6.10103E+17", "6.10103e17", "6101...0000.0".
_EXCEL_NUMBER_RE = re.compile(r"\d+(\.\d*)?E\+?\d+|\d+\.\d+")

_EXCEL_MESSAGE = (
    "%(label)s“%(value)s”已被 Excel 转成了数字，"
    "末尾的数字已经丢失，无法还原。"
    "请把该列设置为“文本”格式后重新录入完整号码。"
)
ID_CHECKSUM_MESSAGE = "身份证号码校验不通过，号码中可能有数字录错或前后颠倒。请对照身份证逐位核对全部 18 位号码。"
USCC_CHECKSUM_MESSAGE = (
    "统一社会信用代码校验不通过，代码中可能有字符录错或前后颠倒。请对照营业执照逐位核对全部 18 位代码。"
)
_EXCEL_PRECISION_MESSAGE = (
    "身份证号码末三位为 000 且校验不通过，"
    "很可能是被 Excel 当作数字保存后丢失了末尾数字。"
    "请把该列设置为“文本”格式后重新录入完整号码。"
)


def _clean(value: str) -> str:
    """Fold full-width characters to ASCII, drop spaces and invisible marks, upper-case."""
    folded = unicodedata.normalize("NFKC", value)
    kept = (c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")
    return "".join(kept).upper()


def _check_excel_damage(cleaned: str, *, label: str, code: str) -> None:
    if _EXCEL_NUMBER_RE.fullmatch(cleaned):
        raise ValidationError(_EXCEL_MESSAGE, code=code, params={"label": label, "value": cleaned})


# --- 居民身份证号码 ------------------------------------------------------------


def id_check_char(first17: str) -> str:
    """Return the GB 11643-1999 (ISO 7064 MOD 11-2) check character of 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def validate_id_number(value: str, *, today: date | None = None) -> str:
    """Return the canonical 18-character ID number, or raise ``ValidationError``.

    Full-width characters and spaces are folded away; a lower-case ``x`` is accepted.
    A 15-digit pre-1999 number is upgraded: "19" goes before its two-digit year and
    the check digit is computed. ``today`` (default: the current date) bounds the
    birth date.
    """
    return _validated_id(value, today or date.today())


# A service checks the same number several times (the value, its birth date, its sex);
# remember recent answers. Errors are raised again each time (lru_cache keeps no exceptions).
@lru_cache(maxsize=8192)
def _validated_id(value: str, today: date) -> str:
    cleaned = _clean(value)
    _check_excel_damage(cleaned, label="身份证号码", code="id_excel_damaged")
    _check_id_length(cleaned)
    _check_id_chars(cleaned)
    _check_id_area(cleaned[:6])
    full = cleaned if len(cleaned) == 18 else f"{cleaned[:6]}19{cleaned[6:]}"
    _check_id_date(full[6:14], today=today)
    expected = id_check_char(full[:17])
    if len(cleaned) == 15:
        return full + expected
    if full[17] != expected:
        if full.endswith("000"):
            raise ValidationError(_EXCEL_PRECISION_MESSAGE, code="id_excel_damaged")
        # Never name the "right" last character: it would invite changing it until a wrong number passes.
        raise ValidationError(ID_CHECKSUM_MESSAGE, code="id_checksum")
    return full


def _check_id_length(cleaned: str) -> None:
    if not cleaned:
        raise ValidationError("身份证号码不能为空", code="id_length")
    if len(cleaned) not in (15, 18):
        raise ValidationError(
            "身份证号码应为 18 位（旧号码为 15 位），实际为 %(count)d 位",
            code="id_length",
            params={"count": len(cleaned)},
        )


def _check_id_chars(cleaned: str) -> None:
    digits_only = cleaned if len(cleaned) == 15 else cleaned[:17]
    for position, char in enumerate(digits_only, start=1):
        if not ("0" <= char <= "9"):
            raise ValidationError(
                "身份证号码第 %(position)d 位“%(char)s”不是数字",
                code="id_char",
                params={"position": position, "char": char},
            )
    if len(cleaned) == 18 and cleaned[17] not in "0123456789X":
        raise ValidationError(
            "身份证号码第 18 位“%(char)s”不合法，只能是数字或 X",
            code="id_char",
            params={"char": cleaned[17]},
        )


def _check_id_area(area: str) -> None:
    province = area[:2]
    if province not in PROVINCE_CODES:
        raise ValidationError(
            "身份证号码前两位“%(code)s”不是有效的省级行政区划代码",
            code="id_area",
            params={"code": province},
        )
    if province in RESIDENCE_PERMIT_PROVINCES and area[2:] != "0000":
        raise ValidationError(
            "港澳台居民居住证号码前六位应为 %(code)s0000，实际为 %(area)s",
            code="id_area",
            params={"code": province, "area": area},
        )


def _check_id_date(yyyymmdd: str, *, today: date) -> None:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    shown = f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"
    if year < 1900:
        raise ValidationError(
            "身份证号码中的出生日期 %(date)s 早于 1900 年",
            code="id_date",
            params={"date": shown},
        )
    try:
        birth = date(year, month, day)
    except ValueError:
        message = "身份证号码中的出生日期 %(date)s 不存在"
        if month == 2 and day == 29:
            message += "（%(year)d 年不是闰年）"
        raise ValidationError(message, code="id_date", params={"date": shown, "year": year}) from None
    if birth > today:
        raise ValidationError(
            "身份证号码中的出生日期 %(date)s 晚于今天",
            code="id_date",
            params={"date": shown},
        )


def id_number_birth_date(value: str) -> date:
    """Return the birth date held in a (validated) ID number."""
    canonical = validate_id_number(value)
    return date(int(canonical[6:10]), int(canonical[10:12]), int(canonical[12:14]))


def id_number_sex(value: str) -> Sex:
    """Return "M" or "F" from the 17th digit of an ID number (odd = male)."""
    return "M" if int(validate_id_number(value)[16]) % 2 else "F"


def make_id_number(area: str, birth: date, seq: int, sex: Sex) -> str:
    """Build a valid ID number, for demo data and tests.

    ``seq`` (0 to 499) picks the 3-digit order code, whose last digit is odd for "M"
    and even for "F": order code = 2 * seq + (1 if male else 0), so every (seq, sex)
    pair gives a distinct number.
    """
    if not re.fullmatch(r"\d{6}", area) or area[:2] not in PROVINCE_CODES:
        raise ValueError(f"area must be a 6-digit GB/T 2260 code, got {area!r}")
    if not 0 <= seq <= 499:
        raise ValueError(f"seq must be in 0..499, got {seq}")
    if birth.year < 1900:
        raise ValueError("birth year must be 1900 or later")
    first17 = f"{area}{birth:%Y%m%d}{2 * seq + (1 if sex == 'M' else 0):03d}"
    return first17 + id_check_char(first17)


# --- 统一社会信用代码 ----------------------------------------------------------


def uscc_check_char(body17: str) -> str:
    """Return the GB 32100-2015 check character of 17 ``USCC_CHARSET`` characters."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[-total % 31]


def validate_uscc(value: str) -> str:
    """Return the canonical 18-character USCC, or raise ``ValidationError``.

    Only the GB 32100-2015 check character is verified. The inner GB 11714 check on
    positions 9 to 17 is not: codes of some entity types do not follow it.
    """
    cleaned = _clean(value)
    _check_excel_damage(cleaned, label="统一社会信用代码", code="uscc_excel_damaged")
    if not cleaned:
        raise ValidationError("统一社会信用代码不能为空", code="uscc_length")
    if len(cleaned) != 18:
        raise ValidationError(
            "统一社会信用代码应为 18 位，实际为 %(count)d 位",
            code="uscc_length",
            params={"count": len(cleaned)},
        )
    for position, char in enumerate(cleaned, start=1):
        if char not in USCC_CHARSET:
            message = "统一社会信用代码第 %(position)d 位“%(char)s”不合法"
            if char in "IOSVZ":
                message += "（代码中不使用字母 I、O、S、V、Z）"
            raise ValidationError(message, code="uscc_char", params={"position": position, "char": char})
    expected = uscc_check_char(cleaned[:17])
    if cleaned[17] != expected:
        raise ValidationError(USCC_CHECKSUM_MESSAGE, code="uscc_checksum")
    return cleaned


def make_uscc(body17: str) -> str:
    """Append the check character to 17 code characters, for demo data and tests."""
    body = _clean(body17)
    if len(body) != 17 or any(c not in USCC_CHARSET for c in body):
        raise ValueError(f"body17 must be 17 characters from {USCC_CHARSET}, got {body17!r}")
    return body + uscc_check_char(body)


# --- 电话号码 ------------------------------------------------------------------

_MOBILE_RE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
_EXTENSION_RE = re.compile(r"(.+?)(?:转|分机|EXT\.?|X|#)(\d{1,6})")
# 010 and 020 to 029 are 3-digit area codes, the others 4 digits; local numbers do not
# start with 0 or 1.
_LANDLINE_RE = re.compile(r"(0[12]\d|0[3-9]\d{2})([2-9]\d{6,7})")


def normalize_phone(value: str) -> str:
    """Return a mainland mobile as 11 digits, or a landline as "029-88886666[-123]".

    Accepts +86 / 0086 / 86 prefixes, spaces, dashes, brackets and full-width forms.
    A landline extension ("-123", "转123", "分机123") is kept after a dash: callers
    need it to reach the person. A landline without its area code is rejected.
    """
    cleaned = _clean(value)
    compact = re.sub(r"[-()]", "", cleaned)
    if mobile := _MOBILE_RE.fullmatch(compact):
        return mobile.group(1)
    main, extension = cleaned, ""
    if marked := _EXTENSION_RE.fullmatch(cleaned):
        main, extension = marked.group(1), marked.group(2)
    main = re.sub(r"^(?:\+86|0086)\(?0?", "0", main)
    groups = [g for g in re.split(r"[-()]", main) if g]
    landline = _LANDLINE_RE.fullmatch("".join(groups))
    if landline is None and not extension and len(groups) >= 2 and len(groups[-1]) <= 6:
        extension = groups[-1]
        landline = _LANDLINE_RE.fullmatch("".join(groups[:-1]))
    if landline is None or (extension and not extension.isdigit()):
        if not cleaned:
            raise ValidationError("电话号码不能为空", code="phone_invalid")
        raise ValidationError(
            "电话号码“%(value)s”格式不正确：手机号应为 1 开头的 11 位数字，固定电话请带区号，如 029-88886666",
            code="phone_invalid",
            params={"value": value.strip()},
        )
    number = f"{landline.group(1)}-{landline.group(2)}"
    return f"{number}-{extension}" if extension else number


# --- 脱敏 (masking for display) -----------------------------------------------


def mask_id_number(value: str) -> str:
    """Keep the first 4 (province + city) and last 4 characters: "6101**********1234".

    The first 4 digits name only a province and city. Never raises, so it is safe in
    templates; a value of 8 characters or fewer is masked completely.
    """
    text = value.strip()
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def mask_phone(value: str) -> str:
    """Mask a phone number: "138****5678", or "029-****6666" (extension dropped)."""
    text = value.strip()
    area, dash, rest = text.partition("-")
    if dash and area.startswith("0") and len(rest.split("-")[0]) >= 7:
        local = rest.split("-")[0]
        return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    if len(text) < 8:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_text(value: str, *, keep: int = 3, suffix: int = 0) -> str:
    """Keep ``keep`` leading and ``suffix`` trailing characters; hide the rest as "****".

    The mask has a fixed width so the length of an address or account is not disclosed.
    Text no longer than what would be kept is masked completely.
    """
    text = value.strip()
    if not text:
        return ""
    if len(text) <= keep + suffix:
        return "*" * len(text)
    return text[:keep] + "****" + (text[-suffix:] if suffix else "")
