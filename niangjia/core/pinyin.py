"""Pinyin of personal names, for search and sorting ("冯建民" → "fengjianmin", "fjm").

pypinyin (0.55) has no surname mode: it reads 曾 as "ceng", 单 as "dan", 仇 as "chou".
So the surname is split off and read from the tables below, and the given name is read
by pypinyin on its own, so that no phrase spans the surname and the given name.

Compound surnames are only listed when the two characters are rarely a single surname
followed by a given name; 单于 (chanyu) is left out because 单 + 于… is the likelier
reading. Output is lower-case ASCII without tones; ü is written "v" (吕 → "lv").
"""

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "令狐": ("ling", "hu"),
    "澹台": ("tan", "tai"),
    "欧阳": ("ou", "yang"),
    "上官": ("shang", "guan"),
    "司马": ("si", "ma"),
    "司徒": ("si", "tu"),
    "司空": ("si", "kong"),
    "诸葛": ("zhu", "ge"),
    "东方": ("dong", "fang"),
    "皇甫": ("huang", "fu"),
    "夏侯": ("xia", "hou"),
    "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"),
    "宇文": ("yu", "wen"),
    "呼延": ("hu", "yan"),
    "轩辕": ("xuan", "yuan"),
    "端木": ("duan", "mu"),
    "独孤": ("du", "gu"),
    "南宫": ("nan", "gong"),
    "西门": ("xi", "men"),
    "闻人": ("wen", "ren"),
    "赫连": ("he", "lian"),
    "申屠": ("shen", "tu"),
    "钟离": ("zhong", "li"),
    "百里": ("bai", "li"),
    "拓跋": ("tuo", "ba"),
}

# Single surnames read differently as surnames ("曾" zeng, not ceng) or read differently by
# pypinyin inside phrases. Any other first character is read alone, with its default reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "翟": "zhai",
    "乐": "yue",
    "秘": "bi",
    "繁": "po",
    "覃": "qin",
    "种": "chong",
    "黑": "he",
    "折": "she",
    "员": "yun",
    "缪": "miao",
    "召": "shao",
    "柏": "bai",
    "华": "hua",
    "沈": "shen",
    "任": "ren",
    "纪": "ji",
    "曲": "qu",
    "过": "guo",
    "都": "du",
    "朝": "chao",
    "阚": "kan",
    "句": "gou",
    "隗": "wei",
    "郇": "xun",
    "薄": "bo",
    "尉": "wei",
    "重": "chong",
    "藏": "zang",
    "能": "nai",
    "洗": "xian",
    "粘": "nian",
    "佴": "nai",
    "蕃": "pi",
    "角": "jue",
}

_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


def _non_han(chars: str) -> str:
    """Keep the Latin letters and digits of a non-Han run as lower-case words."""
    return " ".join(_ASCII_WORD_RE.findall(chars.lower()))


# Surnames and given names repeat far more than whole names: each part is read once.
@lru_cache(maxsize=65536)
def _read(text: str) -> tuple[str, ...]:
    """Read text with pypinyin's default (phrase-aware) readings."""
    items = lazy_pinyin(text, style=Style.NORMAL, errors=_non_han) if text else []
    return tuple(word for item in items for word in item.split())


def name_syllables(name: str) -> list[str]:
    """Return the toneless pinyin syllables of a name, reading its surname as a surname.

    Spaces inside a Chinese name are ignored; a name that does not start with a Han
    character (e.g. "John Smith") is read word by word.
    """
    text = name.strip()
    if not _HAN_RE.match(text):
        return list(_read(text))
    text = "".join(text.split())
    if text[:2] in COMPOUND_SURNAMES:
        return [*COMPOUND_SURNAMES[text[:2]], *_read(text[2:])]
    surname = SURNAME_READINGS.get(text[0])
    return [*([surname] if surname else _read(text[0])), *_read(text[1:])]


# Names repeat a great deal in a roster, and pypinyin is slow: read each name once (its initials
# and its pinyin are both taken from this one reading).
@lru_cache(maxsize=65536)
def _syllables(name: str) -> tuple[str, ...]:
    return tuple(name_syllables(name))


def name_pinyin(name: str, *, separator: str = "") -> str:
    """Return the full toneless pinyin of a name: "冯建民" → "fengjianmin"."""
    return separator.join(_syllables(name))


def name_initials(name: str) -> str:
    """Return the first letter of each syllable: "冯建民" → "fjm", "曾国藩" → "zgf"."""
    return "".join(syllable[0] for syllable in _syllables(name))
