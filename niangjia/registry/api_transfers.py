"""Transfer API: ask the union holding a worker's record to let the worker move; decide such requests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status

from niangjia.api_errors import errors
from niangjia.api_fields import Day, Id, Text32, Text64, Text200
from niangjia.core.scoping import Action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors, services
from niangjia.registry.choices import EmploymentForm
from niangjia.registry.models import WorkerTransfer

router = Router()


class TransferIn(Schema):
    name: Text64
    id_number: Text32
    enterprise_id: Id
    post: Text64 | None = None
    form: EmploymentForm | None = None
    start_date: Day | None = None


class TransferOut(Schema):
    id: int
    name: str
    id_number: str
    enterprise_id: int
    enterprise: str
    status: str
    status_label: str
    requested_at: datetime
    start_date: date | None
    note: str


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    note: Text200 = ""


def _out(t: WorkerTransfer) -> TransferOut:
    return TransferOut(
        id=t.pk, name=t.name, id_number=t.id_number_masked, enterprise_id=t.to_enterprise_id,
        enterprise=t.to_enterprise.name, status=t.status, status_label=t.get_status_display(),
        requested_at=t.requested_at, start_date=t.start_date, note=t.note,
    )  # fmt: skip


@router.post(
    "", response={201: TransferOut, **errors(403, 404, 429)},
    summary="申请调入：职工已由其他工会登记时，请原负责工会确认转入本单位（计入每小时查询次数）",
)  # fmt: skip
def transfer_create(request: HttpRequest, payload: TransferIn) -> Status[TransferOut]:
    user = staff_of(request)
    enterprise = selectors.enterprise_get(user=user, pk=payload.enterprise_id, action=Action.CHANGE)
    data = services.WorkerData(
        name=payload.name, id_number=payload.id_number, enterprise=enterprise, post=payload.post,
        form=payload.form, start_date=payload.start_date,
    )  # fmt: skip
    return Status(201, _out(services.transfer_request(actor=user, data=data)))


@router.get(
    "", response={200: list[TransferOut], **errors()}, summary="调动申请：box=incoming 待我确认，outgoing 我提交的"
)
def transfer_list(request: HttpRequest, box: Literal["incoming", "outgoing"] = "incoming") -> list[TransferOut]:
    user = staff_of(request)
    rows = selectors.transfers_to_decide(user=user) if box == "incoming" else selectors.transfers_requested(user=user)
    return [_out(t) for t in rows]


@router.post(
    "/{pk}/decision", response={200: TransferOut, **errors(403, 404)}, summary="同意或退回调动申请（原负责工会）"
)
def transfer_decision(request: HttpRequest, pk: Path[Id], payload: DecisionIn) -> TransferOut:
    user = staff_of(request)
    transfer = selectors.transfer_get(user=user, pk=pk)
    decided = services.transfer_decide(
        actor=user, transfer=transfer, approve=payload.decision == "approve", note=payload.note
    )
    return _out(decided)
