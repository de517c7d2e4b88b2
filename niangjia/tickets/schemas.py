"""The tickets API's schemas: what goes out and what comes in, every input with its range."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from niangjia.api_fields import NO_NUL, Day, Id
from niangjia.tickets.choices import AttachmentPurpose, Channel, HazardGrade, Kind, NeedCategory, Status, TicketClass
from niangjia.tickets.workflow import Move

Text2000 = Annotated[str, StringConstraints(max_length=2000, pattern=NO_NUL)]
Required2000 = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=NO_NUL)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]
Name200 = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)]
Score = Annotated[int, Field(ge=1, le=5, description="满意度，1 至 5 分")]


class TicketEventOut(Schema):
    at: datetime
    kind: str
    actor: str | None
    from_status: str
    to_status: str
    from_org_id: int | None
    to_org_id: int | None
    note: str


class TicketAttachmentOut(Schema):
    id: int
    purpose: AttachmentPurpose
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    name: str
    uploaded_by: str | None
    created_at: datetime
    download: str = Field(description="下载地址（同一接口认证）；照片可加 ?thumb=true 取缩略图")


class TicketCooperationOut(Schema):
    id: int
    partner_id: int | None
    partner_name: str
    work: str
    started_on: date
    finished_on: date | None
    result: str
    recorded_by: str
    created_at: datetime


class TicketFollowUpOut(Schema):
    id: int
    caller: str
    called_at: datetime
    reached: bool
    satisfaction: int | None
    note: str


class TicketOut(Schema):
    id: int
    channel: Channel
    kind: Kind
    category: str
    title: str
    status: Status
    ticket_class: TicketClass
    org_id: int
    handler_id: int | None
    anonymous: bool
    received_at: datetime
    due_at: datetime
    escalations: int
    satisfaction: int | None
    hazard_grade: HazardGrade | Literal[""]
    hazard_enterprise_id: int | None
    rectify_by: date | None
    verified_at: datetime | None
    referred_at: datetime | None
    cause_found: bool
    responsible_dealt: bool
    measures_done: bool
    people_educated: bool


class TicketDetailOut(TicketOut):
    description: str
    resolution: str
    events: list[TicketEventOut]
    attachments: list[TicketAttachmentOut]
    cooperations: list[TicketCooperationOut]
    followups: list[TicketFollowUpOut]


class TicketCreatedOut(TicketOut):
    tracking_code: str


class TicketIn(Schema):
    channel: Channel
    kind: Kind
    title: Title
    org_id: Id
    description: Text2000 = ""
    category: NeedCategory | Literal[""] = ""
    ticket_class: TicketClass = TicketClass.ORDINARY
    handler_id: Id | None = None
    worker_id: Id | None = None
    enterprise_id: Id | None = None
    anonymous: bool = False


class TicketTransferIn(Schema):
    org_id: Id
    note: Required2000
    handler_id: Id | None = None


class HazardTriageIn(Schema):
    grade: HazardGrade
    note: Text2000 = ""


class HazardRectifyIn(Schema):
    rectify_by: Day
    enterprise_id: Id | None = None


class HazardReferIn(Schema):
    note: Required2000


class HazardChecklistIn(Schema):
    cause_found: bool = False
    responsible_dealt: bool = False
    measures_done: bool = False
    people_educated: bool = False


class TicketMoveIn(Schema):
    move: Move
    note: Text2000 = ""


class TicketCooperationIn(Schema):
    """A partner from the registry (`partner_id`, in your scope) or a provider by name (`partner_name`)."""

    partner_id: Id | None = None
    partner_name: Name200 = ""
    work: Required2000
    started_on: Day


class TicketCooperationFinishIn(Schema):
    finished_on: Day
    result: Required2000


class TicketFollowUpIn(Schema):
    called_at: datetime = Field(description="回访时间，不早于办结时间、不晚于现在；不带时区时按北京时间")
    reached: bool
    satisfaction: Score | None = None
    note: Text2000 = ""
    close: bool = Field(False, description="回访后结案（诉求须为已办结，且角色可以结案）")


class TicketReportRowOut(Schema):
    label: str
    received: int | None
    closed: int | None
    overdue: int | None
    on_time_rate: float | None
    satisfaction: float | None
    few: bool = Field(description="少于 5 件，数字不提供")


class TicketPartnerOut(Schema):
    problems: int | None
    solved: int | None
    via_partner: int | None


class TicketWomenOut(Schema):
    met: int | None
    missed: int | None
    pending: int | None


class TicketReportOut(Schema):
    as_of: datetime
    filtered_by: str
    total: TicketReportRowOut
    median_days: float | None
    by_channel: list[TicketReportRowOut]
    by_kind: list[TicketReportRowOut]
    by_org: list[TicketReportRowOut]
    enterprise_problems: TicketPartnerOut
    women_same_day: TicketWomenOut
