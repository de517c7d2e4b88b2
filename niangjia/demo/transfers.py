"""Demo step: transfers between 阎良 and 雁塔, pending and decided, written through the transfer services."""

from __future__ import annotations

import random
from typing import Any

from niangjia.demo.orgs import TreeSeed
from niangjia.orgs.models import StaffUser
from niangjia.registry.identity import ID_NUMBER, read_protected
from niangjia.registry.models import Enterprise, Worker
from niangjia.registry.services import WorkerData, transfer_decide, transfer_request

YANLIANG, YANTA = "610114", "610113"


def transfers_seed(*, tree: TreeSeed, seed: int, stdout: Any, **_: Any) -> None:
    """Workers who changed jobs: 阎良 asks 雁塔 for three (one approved, one rejected), 雁塔 asks 阎良 for two."""
    rng = random.Random(seed + 17)
    staff = {u.username: u for u in StaffUser.objects.filter(username__in=["yanliang_staff", "yanta_staff"])}
    made = _requests(rng, tree, staff["yanliang_staff"], source=YANTA, target=YANLIANG, count=3)
    made += _requests(rng, tree, staff["yanta_staff"], source=YANLIANG, target=YANTA, count=2)
    if len(made) >= 3:
        transfer_decide(actor=staff["yanta_staff"], transfer=made[0], approve=True, note="已核实，同意转入。")
        transfer_decide(
            actor=staff["yanta_staff"], transfer=made[1], approve=False, note="该职工仍在原单位在岗，请核实。"
        )
    stdout.write(f"职工调动申请：{len(made)} 件（阎良、雁塔之间，含已同意、已退回和待确认）\n")


def _requests(
    rng: random.Random, tree: TreeSeed, actor: StaffUser, *, source: str, target: str, count: int
) -> list[Any]:
    workers = list(
        Worker.objects.filter(org__path__startswith=tree.districts[source].path)
        .exclude(id_number_enc="")
        .order_by("id")[:200]
    )
    enterprises = list(Enterprise.objects.filter(org__path__startswith=tree.districts[target].path).order_by("id")[:50])
    made = []
    for worker in rng.sample(workers, min(count, len(workers))):
        data = WorkerData(
            name=worker.name, id_number=read_protected(worker, ID_NUMBER), enterprise=rng.choice(enterprises),
            post=rng.choice(["操作工", "仓库管理员", "外卖骑手", "收银员"]),
        )  # fmt: skip
        made.append(transfer_request(actor=actor, data=data))
    return made
