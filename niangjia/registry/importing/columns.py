"""The columns of each kind of import: canonical header, accepted variants, parser.

The canonical header is what the downloadable template shows; the variants are
the other names union staff's spreadsheets commonly use for the same column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from niangjia.registry.choices import (
    AdmissionKind,
    DisabilityType,
    EmploymentForm,
    Health,
    HousingType,
    Industry,
    Ownership,
    Relation,
    SchoolStage,
    Sex,
    SizeClass,
    WorkStatus,
)
from niangjia.registry.importing import cells
from niangjia.registry.importing.cells import Parser

YES_NO = ("是", "否")
ID_ALIASES = (
    "身份证号",
    "身份证号码",
    "证件号码",
    "证件号",
    "公民身份号码",
    "身份证",
    "居民身份证号码",
    "身份证件号码",
)
PHONE_ALIASES = ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话", "电话号码")
USCC_ALIASES = ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "uscc")


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    key: str
    header: str
    parse: Parser
    aliases: tuple[str, ...] = ()
    required: bool = False
    options: tuple[str, ...] = ()  # drop-down list in the template
    note: str = ""  # hint shown in the template's header comment


def _labels(choices: type[models.TextChoices]) -> tuple[str, ...]:
    return tuple(str(label) for label in choices.labels)


def _choice(key: str, header: str, choices: type[models.TextChoices], **kw: object) -> Column:
    synonyms = kw.pop("synonyms", None)
    parser = cells.choice(choices, synonyms=synonyms, what=header)  # type: ignore[arg-type]
    return Column(key, header, parser, options=_labels(choices), **kw)  # type: ignore[arg-type]


def _yes_no(key: str, header: str, aliases: tuple[str, ...] = ()) -> Column:
    return Column(key, header, cells.boolean, aliases=aliases, options=YES_NO)


def _date(key: str, header: str, aliases: tuple[str, ...] = ()) -> Column:
    return Column(key, header, cells.parse_date, aliases=aliases, note="如 2025-03-01")


def _money(key: str, header: str, aliases: tuple[str, ...] = ()) -> Column:
    return Column(key, header, cells.money, aliases=aliases, note="金额（元），如 1234.50")


_COORD = cells.decimal(places=6, minimum=Decimal(-180), maximum=Decimal(180), example="108.940174")
_SEX_SYNONYMS = {"男性": "M", "女性": "F"}
_RELATION_SYNONYMS = {
    "本人": "head", "妻子": "spouse", "丈夫": "spouse", "夫妻": "spouse", "儿子": "child", "女儿": "child",
    "子": "child", "女": "child", "父亲": "parent", "母亲": "parent", "孙子": "grandchild", "孙女": "grandchild",
    "兄弟": "sibling", "姐妹": "sibling",
}  # fmt: skip
_HEALTH_SYNONYMS = {"良好": "healthy", "一般疾病": "chronic"}

ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("name", "企业名称", cells.text(200), ("单位名称", "企业", "名称"), required=True),
    Column("uscc", "统一社会信用代码", cells.raw_identifier, USCC_ALIASES, required=True, note="18 位，请设为文本格式"),
    _choice("ownership", "经济类型", Ownership, aliases=("所有制", "企业性质", "单位性质", "经济性质")),
    _choice("size_class", "规模", SizeClass, aliases=("企业规模",)),
    _yes_no("is_platform", "平台企业", ("是否平台企业",)),
    Column(
        "industry", "行业门类", cells.text(64), ("行业", "所属行业", "行业分类"),
        options=tuple(f"{value} {label}" for value, label in Industry.choices), note="门类字母或名称，如 C 或 制造业",
    ),
    Column("area", "所在区划", cells.text(64), ("区划", "区划代码", "所在地区", "所在街道", "行政区划"),
           note="区划代码或名称，如 610113001 或 小寨路街道"),
    Column("address", "地址", cells.text(200), ("企业地址", "注册地址", "经营地址", "详细地址")),
    Column("lng", "经度", _COORD),
    Column("lat", "纬度", _COORD),
    Column("contact_name", "联系人", cells.text(64), ("联系人姓名",)),
    Column("contact_phone", "联系电话", cells.raw_identifier, (*PHONE_ALIASES[:-1], "联系人电话")),
    Column("employee_count", "职工人数", cells.integer(unit="人"), ("员工人数", "职工数", "从业人数", "人数")),
)  # fmt: skip

WORKER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", cells.text(64), ("职工姓名", "员工姓名", "名字"), required=True),
    Column("id_number", "身份证号", cells.raw_identifier, ID_ALIASES[1:], required=True, note="18 位，请设为文本格式"),
    _choice("sex", "性别", Sex, synonyms=_SEX_SYNONYMS),
    Column("ethnicity", "民族", cells.text(16)),
    Column("phone", "手机号", cells.raw_identifier, PHONE_ALIASES),
    Column("enterprise_name", "工作单位", cells.text(200), ("单位名称", "所在单位", "企业名称", "单位", "工作单位名称")),
    Column("enterprise_uscc", "统一社会信用代码", cells.raw_identifier, (*USCC_ALIASES[1:], "单位统一社会信用代码")),
    Column("post", "岗位", cells.text(64), ("职务", "工种", "工作岗位")),
    _choice("form", "用工形式", EmploymentForm, aliases=("用工方式", "就业形式", "用工类型")),
    _date("start_date", "入职日期", ("入职时间", "入职年月")),
    Column("contract_months", "合同期限(月)", cells.integer(maximum=1200, unit="个月"), ("合同期限", "合同期限月")),
    _yes_no("union_member", "是否会员", ("是否工会会员", "工会会员", "会员")),
    _date("member_since", "入会日期", ("入会时间",)),
    _yes_no("is_migrant", "是否农民工", ("农民工",)),
    _yes_no("lives_in_city", "是否在城市居住", ("是否在城市长期居住", "在城市长期居住", "在城市居住")),
    Column("address", "住址", cells.text(200), ("家庭住址", "居住地址", "现住址", "地址")),
    Column("bank_account", "银行卡号", cells.raw_identifier, ("银行账号", "卡号", "银行卡号码", "银行账户")),
)  # fmt: skip

HOUSEHOLD_COLUMNS: tuple[Column, ...] = (
    Column("head_id", "户主身份证号", cells.raw_identifier, ("户主身份证号码", "户主证件号码", "户主身份证"),
           required=True, note="户主须已登记为职工"),
    Column("name", "成员姓名", cells.text(64), ("姓名", "家庭成员姓名"), required=True),
    _choice("relation", "与户主关系", Relation, aliases=("关系", "家庭关系", "与户主的关系"),
            synonyms=_RELATION_SYNONYMS, required=True),
    Column("id_number", "成员身份证号", cells.raw_identifier, ("成员身份证号码", *ID_ALIASES)),
    _date("birth_date", "出生日期", ("出生年月日",)),
    _choice("school_stage", "学段", SchoolStage, aliases=("在读学段", "就读学段")),
    Column("admission_year", "入学年份", cells.integer(minimum=1950, maximum=2100, unit="年"), ("入学年度", "入学时间")),
    _choice("admission_kind", "录取类别", AdmissionKind, aliases=("录取类型",)),
    _choice("work_status", "工作状态", WorkStatus, aliases=("工作状态/身份", "人员身份")),
    _yes_no("able_to_work", "有劳动能力", ("是否有劳动能力",)),
    _money("monthly_income", "月收入", ("本人月收入", "月平均收入", "月收入(元)")),
    _choice("health", "健康状况", Health, synonyms=_HEALTH_SYNONYMS),
    _yes_no("major_illness", "是否重大疾病", ("是否患重大疾病", "重大疾病", "患重大疾病")),
    _choice("disability_type", "残疾类别", DisabilityType, aliases=("残疾类型",)),
    Column("disability_grade", "残疾等级", cells.disability_grade, options=("一级", "二级", "三级", "四级"),
           note="一级到四级"),
    _yes_no("work_injury_disabled", "是否工伤致残", ("工伤致残", "因工伤致残")),
    _choice("housing_type", "住房类型", HousingType),
    Column("homes_owned", "住房套数", cells.integer(maximum=99, unit="套"), ("住房数量",)),
    _yes_no("owns_shop_or_employs", "是否有商铺或雇工", ("拥有商铺或雇工经营", "是否拥有商铺或雇工经营")),
    _yes_no("private_car_non_work", "是否非工作用车", ("是否有非工作用车", "非受雇使用机动车")),
    _yes_no("child_private_or_abroad", "子女私立或自费留学", ("子女读高收费私立学校或自费留学",)),
    _money("other_annual_income", "其他年收入", ("其他非薪资年收入", "家庭其他非薪资年收入")),
    _money("rigid_medical_12m", "近12个月医疗支出", ("医疗支出",)),
    _money("rigid_education_12m", "近12个月教育支出", ("教育支出",)),
    _money("rigid_other_12m", "近12个月其他刚性支出", ("其他刚性支出",)),
    _money("hardship_costs_12m", "近12个月致困损失", ("致困损失", "近12个月致困损失(扣除赔偿)")),
    Column("area", "所在区划", cells.text(64), ("户籍区划", "居住区划", "户口所在地行政区划", "区划代码", "区划"),
           note="区划代码或名称"),
)  # fmt: skip

KINDS: dict[str, tuple[Column, ...]] = {
    "enterprises": ENTERPRISE_COLUMNS,
    "workers": WORKER_COLUMNS,
    "households": HOUSEHOLD_COLUMNS,
}
KIND_LABELS = {"enterprises": "企业", "workers": "职工", "households": "家庭成员"}


def normalize_header(value: str) -> str:
    """Fold a header for matching: full-width, spaces, required-marks and case do not count."""
    folded = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s*:：]", "", folded).lower()


def header_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Map every accepted (normalised) header of a kind to its column."""
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            index.setdefault(normalize_header(name), column)
    return index


def match_header(index: dict[str, Column], value: str) -> Column | None:
    """Return the column a header names, trying again without a parenthesised hint."""
    normalized = normalize_header(value)
    if not normalized:
        return None
    found = index.get(normalized)
    if found is None:
        found = index.get(re.sub(r"\(.*?\)", "", normalized))
    return found
