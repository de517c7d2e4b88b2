"""Enumerations of the registry, with the Chinese labels union staff use."""

from django.db import models


class Ownership(models.TextChoices):
    STATE = "state", "国有"
    COLLECTIVE = "collective", "集体"
    PRIVATE = "private", "私营"
    MIXED = "mixed", "股份制/混合所有制"
    FOREIGN = "foreign", "外资"
    HMT = "hmt", "港澳台资"
    INDIVIDUAL = "individual", "个体"
    SOCIAL = "social", "社会组织"

    @classmethod
    def non_public(cls) -> list[str]:
        """Ownership types counted as 非公企业."""
        return [cls.PRIVATE, cls.FOREIGN, cls.HMT, cls.INDIVIDUAL]


class SizeClass(models.TextChoices):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741 - the standard's section letter
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", "存续"
    SUSPENDED = "suspended", "停业"
    CLOSED = "closed", "注销"


class EmploymentForm(models.TextChoices):
    STANDARD = "standard", "全日制劳动合同"
    DISPATCHED = "dispatched", "劳务派遣"
    PART_TIME = "part_time", "非全日制"
    FLEXIBLE = "flexible", "灵活就业"
    GIG_RIDER = "gig_rider", "外卖骑手"
    GIG_COURIER = "gig_courier", "快递员"
    GIG_RIDE_HAILING = "gig_ride_hailing", "网约车司机"
    GIG_TRUCK = "gig_truck", "货车司机"
    GIG_STREAMER = "gig_streamer", "网络主播"
    GIG_OTHER = "gig_other", "其他新就业形态"

    @classmethod
    def gig(cls) -> list[str]:
        """The 新就业形态 forms."""
        return [value for value in cls.values if value.startswith("gig_")]


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


class SchoolStage(models.TextChoices):
    PRESCHOOL = "preschool", "学前"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior_high", "普通高中"
    VOCATIONAL = "secondary_vocational", "中职"
    COLLEGE = "vocational_college", "专科/高职"
    UNDERGRADUATE = "undergraduate", "本科"
    POSTGRADUATE = "postgraduate", "研究生"


class AdmissionKind(models.TextChoices):
    REGULAR = "regular", "普通录取"
    MILITARY = "military", "军事院校"
    FREE_NORMAL = "free_normal", "公费师范生"
    COMMISSIONED = "commissioned", "定向生"


class WorkStatus(models.TextChoices):
    EMPLOYED = "employed", "在岗"
    FLEXIBLE = "flexible", "灵活就业"
    UNEMPLOYED = "unemployed", "失业/未就业"
    RETIRED = "retired", "退休"
    STUDENT = "student", "在校学生"
    UNABLE = "unable", "无劳动能力"
    PRESCHOOL = "preschool", "学龄前"


class Health(models.TextChoices):
    HEALTHY = "healthy", "健康"
    CHRONIC = "chronic", "慢性病"
    MAJOR_ILLNESS = "major_illness", "重大疾病"
    DISABLED = "disabled", "残疾"


class DisabilityType(models.TextChoices):
    VISUAL = "visual", "视力残疾"
    HEARING = "hearing", "听力残疾"
    SPEECH = "speech", "言语残疾"
    PHYSICAL = "physical", "肢体残疾"
    INTELLECTUAL = "intellectual", "智力残疾"
    MENTAL = "mental", "精神残疾"
    MULTIPLE = "multiple", "多重残疾"


class HousingType(models.TextChoices):
    OWNED = "owned", "自有住房"
    RENTED = "rented", "租房"
    PUBLIC = "public", "公租房/廉租房"
    DORMITORY = "dormitory", "单位宿舍"
    OTHER = "other", "其他"


class ArchiveLevel(models.TextChoices):
    DEEP = "deep", "深度困难"
    RELATIVE = "relative", "相对困难"
    SUDDEN = "sudden", "意外致困"


class EventKind(models.TextChoices):
    """Life events the policies read (names match the rules engine's `events.kind`)."""

    DEATH_ON_DUTY = "death_on_duty", "因公死亡"
    MAJOR_SURGERY = "major_surgery", "重大手术"
    INPATIENT_STAY = "inpatient_stay", "住院"
    SUDDEN_EVENT = "sudden_event", "突发事件(灾害/事故/重病确诊)"
    MEDICAL_BILL = "medical_bill", "医疗费用(自付部分)"
    SKILL_CERTIFICATE = "skill_certificate", "取得职业技能证书"


class EventCause(models.TextChoices):
    """What caused a sudden event (names match the rules engine's `events.cause`)."""

    ACCIDENT = "accident", "意外事故"
    MAJOR_ILLNESS = "major_illness", "确诊重大疾病"
    DISASTER = "disaster", "自然灾害"


class Severity(models.IntegerChoices):
    ORDINARY = 1, "一般"
    SERIOUS = 2, "严重"
    VERY_SERIOUS = 3, "特别严重"


class TransferStatus(models.TextChoices):
    """Where a request to move a worker registered by another union stands."""

    PENDING = "pending", "待确认"
    APPROVED = "approved", "已同意"
    REJECTED = "rejected", "已退回"
