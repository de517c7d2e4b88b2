"""The columns of each kind of import: canonical header, accepted variants, parser, value shorthands.

The canonical header is what the downloadable template shows; the variants are the other names
union staff's spreadsheets commonly use for the same column ("工作单位统一社会信用代码", "工作单位信用代码"),
and the shorthands the values they commonly write ("劳动合同" for 全日制劳动合同, "派遣" for 劳务派遣).
Header matching itself (spaces, full-width forms, marks, bracketed hints) is `core.tabular.columns`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from niangjia.core.tabular import cells
from niangjia.core.tabular.columns import PHONE_ALIASES, Column
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

YES_NO = ("是", "否")
ID_ALIASES = (
    "身份证号", "身份证号码", "证件号码", "证件号", "公民身份号码", "公民身份证号码", "公民身份证号", "身份证",
    "居民身份证号码", "居民身份证号", "身份证件号码", "身份证件号", "身份证编号", "身份号码", "职工身份证号",
    "职工身份证号码", "个人身份证号", "证件号码(身份证)",
)  # fmt: skip
USCC_ALIASES = ("统一社会信用代码", "社会信用代码", "社会统一信用代码", "信用代码", "统一代码", "统一信用代码", "uscc",
                "统一社会信用代码证号", "企业统一社会信用代码", "企业信用代码", "单位统一社会信用代码", "单位信用代码",
                "单位社会信用代码")  # fmt: skip
# The employer's code in a workers file: every name above, and the ones that say whose code it is.
EMPLOYER_USCC_ALIASES = (*USCC_ALIASES[1:], "工作单位统一社会信用代码", "工作单位信用代码", "工作单位社会信用代码",
                         "用人单位统一社会信用代码", "用人单位信用代码", "所在单位统一社会信用代码", "所在单位信用代码",
                         "就职单位统一社会信用代码")  # fmt: skip
EMPLOYER_ALIASES = ("单位名称", "所在单位", "企业名称", "单位", "工作单位名称", "就职单位", "用人单位", "用人单位名称",
                    "现工作单位", "所在企业", "企业", "单位全称", "公司名称", "工作单位全称", "所在公司")  # fmt: skip


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


def _words(**groups: str) -> dict[str, str]:
    """{"全日制": "standard", …} from standard="全日制 劳动合同 …": the shorthands of each value."""
    return {word: value for value, words in groups.items() for word in words.split()}


_COORD = cells.decimal(places=6, minimum=Decimal(-180), maximum=Decimal(180), example="108.940174")
# GB/T 2261.1 codes (1 男, 2 女) come from other systems' exports.
SEX_SYNONYMS = {"男性": "M", "女性": "F", "男士": "M", "女士": "F", "1": "M", "2": "F"}
EMPLOYMENT_SYNONYMS = {
    **_words(standard="劳动合同 全日制 合同工 合同制 劳动合同制 全日制用工 全日制合同工 正式工 正式员工 全职 "
                      "固定期限劳动合同 无固定期限劳动合同 签订劳动合同"),
    **_words(dispatched="派遣 派遣工 派遣制 劳务派遣工 派遣员工 劳务派遣用工"),
    **_words(part_time="非全日制用工 非全日制劳动合同 兼职 小时工 钟点工"),
    **_words(flexible="灵活用工 灵活就业人员 自由职业"),
    **_words(gig_rider="骑手 外卖员 送餐员 外卖送餐员 外卖小哥 外卖配送员"),
    **_words(gig_courier="快递 快递小哥 快递派送员 快递配送员 快递员工"),
    **_words(gig_ride_hailing="网约车 网约车驾驶员 专车司机 网约车司机"),
    **_words(gig_truck="货运司机 卡车司机 网络货运司机 货车驾驶员"),
    **_words(gig_streamer="主播 带货主播 直播"),
    **_words(gig_other="新就业形态 新就业形态劳动者"),
}  # fmt: skip
OWNERSHIP_SYNONYMS = {
    **_words(state="国企 国有企业 国营 国有控股"), **_words(collective="集体企业 集体所有制"),
    **_words(private="民营 民营企业 私营企业 私企 非公 非公企业"),
    **_words(mixed="股份制 混合所有制 股份制企业 混合所有制企业"),
    **_words(foreign="外资企业 外商投资 外商投资企业 外企 中外合资 中外合资企业"),
    **_words(hmt="港澳台 港澳台投资 港澳台资企业 港澳台商投资企业"),
    **_words(individual="个体户 个体工商户"),
    **_words(social="社会团体 民办非企业 民办非企业单位 社会服务机构 基金会"),
}  # fmt: skip
SIZE_SYNONYMS = _words(large="大 大型企业", medium="中 中型企业", small="小 小型企业", micro="微 微型企业")
RELATION_SYNONYMS = {
    **_words(head="本人 户主本人"),
    **_words(spouse="妻子 丈夫 夫妻 妻 夫 爱人 老公 老婆"),
    **_words(child="儿子 女儿 子 女 长子 次子 长女 次女 独生子 独生女 养子 养女 继子 继女"),
    **_words(parent="父亲 母亲 父 母 岳父 岳母 公公 婆婆 养父 养母"),
    **_words(grandchild="孙子 孙女 外孙 外孙女"),
    **_words(sibling="兄弟 姐妹 哥哥 弟弟 姐姐 妹妹 兄 弟 姐 妹"),
}  # fmt: skip
HEALTH_SYNONYMS = {
    **_words(healthy="良好 健康良好 正常 身体健康"), **_words(chronic="一般疾病 慢性疾病 慢病"),
    **_words(major_illness="大病 重病 患重大疾病"), **_words(disabled="残疾人 有残疾"),
}  # fmt: skip
WORK_STATUS_SYNONYMS = _words(
    employed="在职 就业 上班 已就业", unemployed="失业 未就业 无业 待业", retired="离退休 退休人员 已退休",
    student="学生 在读 在校 上学", unable="丧失劳动能力", preschool="学龄前儿童",
)  # fmt: skip
SCHOOL_SYNONYMS = _words(
    preschool="幼儿园 学龄前", senior_high="高中", secondary_vocational="中专 职高 技校 中等职业学校",
    vocational_college="大专 专科 高职", undergraduate="大学 大学本科", postgraduate="硕士 博士 硕士研究生 博士研究生",
)  # fmt: skip
HOUSING_SYNONYMS = _words(
    owned="自有 自购房 自有房 自有产权 商品房", rented="租赁 租住 租房住 租赁住房",
    public="公租房 廉租房 保障房", dormitory="宿舍 集体宿舍",
)  # fmt: skip
DISABILITY_SYNONYMS = _words(
    visual="视力 视残", hearing="听力 听残", speech="言语 语言残疾", physical="肢体 肢残", intellectual="智力 智残",
    mental="精神", multiple="多重",
)  # fmt: skip

ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("name", "企业名称", cells.text(200), ("单位名称", "企业", "名称", "企业全称", "单位全称", "单位", "公司名称",
                                                 "用人单位名称"), required=True),
    Column("uscc", "统一社会信用代码", cells.raw_identifier, USCC_ALIASES, required=True, note="18 位，请设为文本格式"),
    _choice("ownership", "经济类型", Ownership, synonyms=OWNERSHIP_SYNONYMS,
            aliases=("所有制", "企业性质", "单位性质", "经济性质", "所有制性质", "企业类型", "单位类型", "经济成分",
                     "登记注册类型", "企业经济类型")),
    _choice("size_class", "规模", SizeClass, synonyms=SIZE_SYNONYMS,
            aliases=("企业规模", "规模类型", "企业规模类型", "单位规模", "规模类别")),
    _yes_no("is_platform", "平台企业", ("是否平台企业", "是否为平台企业", "平台企业(是/否)")),
    Column(
        "industry", "行业门类", cells.text(64),
        ("行业", "所属行业", "行业分类", "行业类别", "行业类型", "所属行业门类", "国民经济行业", "国民经济行业分类"),
        options=tuple(f"{value} {label}" for value, label in Industry.choices), note="门类字母或名称，如 C 或 制造业",
    ),
    Column("area", "所在区划", cells.text(64),
           ("区划", "区划代码", "所在地区", "所在街道", "行政区划", "行政区划代码", "所属街道", "所在镇街", "所属区域",
            "所在区域", "所属区划", "街道(镇)", "所在街道(镇)"),
           note="区划代码或名称，如 610113001 或 小寨路街道"),
    Column("address", "地址", cells.text(200), ("企业地址", "注册地址", "经营地址", "详细地址", "单位地址", "办公地址",
                                                 "通讯地址")),
    Column("lng", "经度", _COORD),
    Column("lat", "纬度", _COORD),
    Column("contact_name", "联系人", cells.text(64), ("联系人姓名", "工会联系人", "企业联系人")),
    Column("contact_phone", "联系电话", cells.raw_identifier, (*PHONE_ALIASES, "联系人电话", "联系人手机")),
    Column("employee_count", "职工人数", cells.integer(unit="人"),
           ("员工人数", "职工数", "从业人数", "人数", "职工总数", "在职职工人数", "从业人员数", "员工总数", "在岗职工人数")),
)  # fmt: skip

WORKER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", cells.text(64), ("职工姓名", "员工姓名", "名字", "人员姓名", "会员姓名"), required=True),
    Column("id_number", "身份证号", cells.raw_identifier, ID_ALIASES[1:], required=True, note="18 位，请设为文本格式"),
    _choice("sex", "性别", Sex, synonyms=SEX_SYNONYMS),
    Column("ethnicity", "民族", cells.text(16), ("族别",)),
    Column("phone", "手机号", cells.raw_identifier, PHONE_ALIASES),
    Column("enterprise_name", "工作单位", cells.text(200), EMPLOYER_ALIASES),
    Column("enterprise_uscc", "统一社会信用代码", cells.raw_identifier, EMPLOYER_USCC_ALIASES),
    Column("post", "岗位", cells.text(64), ("职务", "工种", "工作岗位", "岗位名称", "职位", "从事工种")),
    _choice("form", "用工形式", EmploymentForm, synonyms=EMPLOYMENT_SYNONYMS,
            aliases=("用工方式", "就业形式", "用工类型", "用工性质", "用工类别", "就业方式", "劳动关系", "劳动合同类型")),
    _date("start_date", "入职日期", ("入职时间", "入职年月", "入职年月日", "到岗日期", "到岗时间", "进入本单位时间",
                                     "入职本单位时间", "本单位入职时间", "入职本单位日期")),
    Column("contract_months", "合同期限(月)", cells.integer(maximum=1200, unit="个月"),
           ("合同期限", "合同期限月", "劳动合同期限", "合同期限(个月)", "合同期限(月数)")),
    _yes_no("union_member", "是否会员", ("是否工会会员", "工会会员", "会员", "是否入会", "是否已入会", "是否加入工会",
                                         "是否为工会会员")),
    _date("member_since", "入会日期", ("入会时间", "入会年月", "入会年月日", "加入工会时间", "加入工会日期")),
    _yes_no("is_migrant", "是否农民工", ("农民工", "是否为农民工", "是否进城务工人员")),
    _yes_no("lives_in_city", "是否在城市居住", ("是否在城市长期居住", "在城市长期居住", "在城市居住", "是否城市居住",
                                                "是否在城镇居住")),
    Column("address", "住址", cells.text(200), ("家庭住址", "居住地址", "现住址", "地址", "现居住地址", "家庭地址",
                                                 "联系地址", "常住地址")),
    Column("bank_account", "银行卡号", cells.raw_identifier, ("银行账号", "卡号", "银行卡号码", "银行账户", "银行帐号",
                                                               "工资卡号", "开户账号")),
)  # fmt: skip
# Without one of these a workers file cannot say where each worker works (docs/import.md).
EMPLOYER_KEYS = ("enterprise_name", "enterprise_uscc")

HOUSEHOLD_COLUMNS: tuple[Column, ...] = (
    Column("head_id", "户主身份证号", cells.raw_identifier,
           ("户主身份证号码", "户主证件号码", "户主身份证", "户主公民身份号码", "户主证件号", "户主身份证件号码"),
           required=True, note="户主须已登记为职工"),
    Column("name", "成员姓名", cells.text(64), ("姓名", "家庭成员姓名", "家属姓名", "成员名字"), required=True),
    _choice("relation", "与户主关系", Relation,
            aliases=("关系", "家庭关系", "与户主的关系", "与职工关系", "与本人关系", "亲属关系", "成员关系", "称谓"),
            synonyms=RELATION_SYNONYMS, required=True),
    Column("id_number", "成员身份证号", cells.raw_identifier,
           ("成员身份证号码", "家庭成员身份证号", "成员证件号码", *ID_ALIASES)),
    _date("birth_date", "出生日期", ("出生年月日", "出生年月", "生日")),
    _choice("school_stage", "学段", SchoolStage, aliases=("在读学段", "就读学段", "就读阶段", "在读阶段"),
            synonyms=SCHOOL_SYNONYMS),
    Column("admission_year", "入学年份", cells.integer(minimum=1950, maximum=2100, unit="年"), ("入学年度", "入学时间")),
    _choice("admission_kind", "录取类别", AdmissionKind, aliases=("录取类型",)),
    _choice("work_status", "工作状态", WorkStatus, aliases=("工作状态/身份", "人员身份", "就业状态", "就业情况"),
            synonyms=WORK_STATUS_SYNONYMS),
    _yes_no("able_to_work", "有劳动能力", ("是否有劳动能力",)),
    _money("monthly_income", "月收入", ("本人月收入", "月平均收入", "月收入(元)", "月均收入")),
    _choice("health", "健康状况", Health, aliases=("身体状况", "健康情况"), synonyms=HEALTH_SYNONYMS),
    _yes_no("major_illness", "是否重大疾病", ("是否患重大疾病", "重大疾病", "患重大疾病")),
    _choice("disability_type", "残疾类别", DisabilityType, aliases=("残疾类型",), synonyms=DISABILITY_SYNONYMS),
    Column("disability_grade", "残疾等级", cells.disability_grade, ("残疾级别",), options=("一级", "二级", "三级", "四级"),
           note="一级到四级"),
    _yes_no("work_injury_disabled", "是否工伤致残", ("工伤致残", "因工伤致残")),
    _choice("housing_type", "住房类型", HousingType, aliases=("住房情况", "住房性质"), synonyms=HOUSING_SYNONYMS),
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
