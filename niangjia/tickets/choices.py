"""Enumerations of tickets, with Chinese labels."""

from django.db import models


class Channel(models.TextChoices):
    VISIT = "visit", "走访"
    WALK_IN = "walk_in", "一线接访"
    WINDOW = "window", "一窗通办"
    PHONE = "phone_12351", "12351 热线"
    ONLINE = "online", "网上"
    ENTERPRISE = "enterprise", "企业反映"


class Kind(models.TextChoices):
    NEED = "need", "职工需求"
    ENTERPRISE_PROBLEM = "enterprise_problem", "企业问题"
    HAZARD = "hazard", "安全隐患"
    CONSULTATION = "consultation", "维权法律咨询"
    WOMEN_CONSULTATION = "women_consultation", "女职工咨询"
    SUGGESTION = "suggestion", "建言献策"
    COMPLAINT = "complaint", "投诉"


class NeedCategory(models.TextChoices):
    EMPLOYMENT = "employment", "就业创业"
    SKILLS = "skills", "技能提升"
    MEDICAL = "medical", "医疗"
    EDUCATION = "education", "子女教育"
    HOUSING = "housing", "住房"
    LEGAL = "legal", "法律维权"
    SAFETY = "safety", "安全生产"
    HARDSHIP = "hardship", "生活困难"
    BUSINESS = "business", "企业经营"
    OTHER = "other", "其他"


class TicketClass(models.TextChoices):
    """The 12351 case classes; their deadline days are the setting TICKET_DEADLINE_DAYS."""

    ORDINARY = "ordinary", "一般"
    DIFFICULT = "difficult", "难点"
    COMPLEX = "complex", "特别复杂"


class Status(models.TextChoices):
    RECEIVED = "received", "已接收"
    ACCEPTED = "accepted", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    RESOLVED = "resolved", "已办结"
    CLOSED = "closed", "已结案"


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS)


class EventKind(models.TextChoices):
    CREATED = "created", "登记"
    TRANSITION = "transition", "办理"
    TRANSFER = "transfer", "转办"
    ESCALATED = "escalated", "超期上提"
    NOTE = "note", "备注"
    RATED = "rated", "满意度评价"
    TRIAGED = "triaged", "隐患分级"
    RECTIFY = "rectify", "限期整改"
    REFERRED = "referred", "移交应急管理部门"
    CHECKLIST = "checklist", "四不放过核查"
    ATTACHED = "attached", "上传照片或材料"
    COOPERATION = "cooperation", "对接合作"
    FOLLOW_UP = "follow_up", "回访"


class HazardGrade(models.TextChoices):
    """The grades of 《安全生产事故隐患排查治理暂行规定》 (2007): a major hazard needs suspension or outside help."""

    GENERAL = "general", "一般事故隐患"
    MAJOR = "major", "重大事故隐患"


# The accident checklist "四不放过": a field of Ticket each, with its Chinese name.
ACCIDENT_CHECKLIST = (
    ("cause_found", "原因未查清不放过"),
    ("responsible_dealt", "责任人员未处理不放过"),
    ("measures_done", "整改措施未落实不放过"),
    ("people_educated", "有关人员未受到教育不放过"),
)


class AttachmentPurpose(models.TextChoices):
    """What an uploaded file is for; only the public's own report photos are ever shown on the public page."""

    REPORT_PHOTO = "report_photo", "反映照片"
    VERIFICATION_PHOTO = "verification_photo", "整改验收照片"
    DOCUMENT = "document", "材料"


PHOTO_PURPOSES = (AttachmentPurpose.REPORT_PHOTO, AttachmentPurpose.VERIFICATION_PHOTO)
