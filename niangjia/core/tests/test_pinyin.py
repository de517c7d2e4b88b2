"""Tests for the pinyin of personal names, surname readings first (no settings needed)."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from niangjia.core.pinyin import name_initials, name_pinyin


@pytest.mark.parametrize(
    ("name", "syllables"),
    [
        ("冯建民", "feng jian min"),
        ("曾国藩", "zeng guo fan"),
        ("单雄信", "shan xiong xin"),
        ("解缙", "xie jin"),
        ("仇英", "qiu ying"),
        ("区寿年", "ou shou nian"),
        ("朴槿惠", "piao jin hui"),
        ("查良镛", "zha liang yong"),
        ("盖聂", "ge nie"),
        ("翟志刚", "zhai zhi gang"),
        ("尉迟恭", "yu chi gong"),
        ("万俟卨", "mo qi xie"),
        ("长孙无忌", "zhang sun wu ji"),
        ("令狐冲", "ling hu chong"),
        ("乐毅", "yue yi"),
        ("秘丽", "bi li"),
        ("繁钦", "po qin"),
        ("覃振", "qin zhen"),
        ("种师道", "chong shi dao"),
        ("黑白", "he bai"),
        ("折可适", "she ke shi"),
        ("员半千", "yun ban qian"),
        ("缪斯", "miao si"),
        ("召公", "shao gong"),
        ("柏杨", "bai yang"),
        ("华佗", "hua tuo"),
        ("沈括", "shen kuo"),
        ("任我行", "ren wo xing"),
        ("纪晓岚", "ji xiao lan"),
        ("曲波", "qu bo"),
        ("过山", "guo shan"),
        ("都市", "du shi"),
        ("朝晖", "chao hui"),
        ("阚泽", "kan ze"),
        ("薄一波", "bo yi bo"),
        ("欧阳修", "ou yang xiu"),
        ("诸葛亮", "zhu ge liang"),
        ("吕布", "lv bu"),
        ("单于华", "shan yu hua"),
    ],
)
def test_surname_readings(name: str, syllables: str) -> None:
    assert name_pinyin(name, separator=" ") == syllables
    assert name_pinyin(name) == syllables.replace(" ", "")
    assert name_initials(name) == "".join(s[0] for s in syllables.split())


def test_initials_examples() -> None:
    assert name_initials("冯建民") == "fjm"
    assert name_initials("曾国藩") == "zgf"
    assert name_initials("尉迟恭") == "ycg"


def test_spaces_punctuation_and_latin() -> None:
    assert name_pinyin(" 张 三 ") == "zhangsan"
    assert name_initials("阿依古丽·买买提") == "ayglmmt"
    assert name_pinyin("John Smith", separator=" ") == "john smith"
    assert name_initials("John Smith") == "js"
    assert name_pinyin("") == ""
    assert name_initials("  ") == ""


@given(name=st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=4))
def test_any_han_name_gives_lower_case_ascii(name: str) -> None:
    full = name_pinyin(name, separator=" ")
    assert re.fullmatch(r"[a-z ]*", full)
    assert name_initials(name) == "".join(s[0] for s in full.split())
