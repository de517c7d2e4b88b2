"""Registry demo data for the Xi'an preset: enterprises, workers, households and their facts.

`registry_seed` is called by `niangjia seed` after the union tree exists. It is
deterministic for a seed and a demo date: one `random.Random(seed)` feeds every draw,
in a fixed order, and all dates are relative to `today`. The enterprises are registered
through `enterprise_bulk_register` (checked and audited as an import would); the people
tables are written with `writing.TableWriter` (its docstring says why), one transaction
per chunk of households; identifiers are encrypted before they reach the database (see
`people.py`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as clock
from typing import Any, Protocol

from django.db import models, transaction
from django.utils import timezone

from niangjia.demo.enterprises import (
    assignments_create,
    chairs_create,
    district_places,
    enterprises_build,
    enterprises_register,
    unions_create,
)
from niangjia.demo.facts import FactMaker, Facts
from niangjia.demo.households import HouseholdDraft, HouseholdMaker, district_pools
from niangjia.demo.orgs import TreeSeed
from niangjia.demo.people import PeopleContext
from niangjia.demo.writing import TableWriter, sequences_reset, statistics_refresh
from niangjia.registry.models import (
    Document,
    Employment,
    Enterprise,
    Household,
    HouseholdCircumstances,
    HouseholdMember,
    LifeEvent,
    MemberCircumstances,
    ReceivedAid,
    Worker,
)

DEFAULT_WORKERS = 100_000
CHUNK_HOUSEHOLDS = 5_000
TABLES: list[tuple[type[models.Model], str, str]] = [
    (Enterprise, "企业", "家"),
    (Worker, "职工", "人"),
    (Employment, "就业信息", "条"),
    (Household, "家庭", "户"),
    (HouseholdCircumstances, "家庭经济情况", "条"),
    (HouseholdMember, "家庭成员", "人"),
    (MemberCircumstances, "成员健康与收入", "条"),
    (LifeEvent, "家庭事件", "条"),
    (Document, "材料", "份"),
    (ReceivedAid, "已获帮扶", "笔"),
]


class Writer(Protocol):
    def write(self, msg: str, *args: Any, **kwargs: Any) -> Any: ...


class Timer:
    """Writes the people tables and keeps the seconds spent on each, for the summary."""

    def __init__(self) -> None:
        self.seconds: dict[type[models.Model], float] = {}
        self.writers: dict[type[models.Model], TableWriter] = {}

    @contextmanager
    def table(self, model: type[models.Model]) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.seconds[model] = self.seconds.get(model, 0.0) + time.monotonic() - started

    def bulk(self, model: type[models.Model], rows: list[Any]) -> None:
        with self.table(model):
            if model not in self.writers:
                self.writers[model] = TableWriter(model)
            self.writers[model].insert(rows)


def registry_seed(*, tree: TreeSeed, seed: int, workers: int | None, stdout: Writer, today: date | None = None) -> None:
    """Create the demo registry on top of `tree`; print one summary line per table to `stdout`.

    `workers` defaults to 100,000. `today` (default: the local date) anchors every
    date, so a seed and a date always give the same data.
    """
    started = time.monotonic()
    rng = random.Random(seed)
    today = today or timezone.localdate()
    # Never in the future: a change stamped later than "now" would look unscreened until then.
    seeded_at = min(timezone.make_aware(datetime.combine(today, clock(8, 0))), timezone.now())
    timer = Timer()
    places = district_places(tree)
    with transaction.atomic():
        with timer.table(Enterprise):
            built = enterprises_build(rng, tree, places)
            unions_create(rng, built)
            built.enterprises = enterprises_register(built.enterprises)
        chairs_create(rng, tree, built, places)
        assignments_create(rng, tree, built, today)
    stdout.write(
        f"企业：{len(built.enterprises):,} 家，其中企业工会 {built.unions:,} 个，企业工会主席 {built.chairs} 名，"
        f"一人一企结对 {built.assignments:,} 对（{timer.seconds[Enterprise]:.1f} 秒）\n"
    )
    maker = HouseholdMaker(PeopleContext(rng=rng, today=today), district_pools(built, places), seeded_at)
    facts = FactMaker(rng, today)
    total, left = workers if workers is not None else DEFAULT_WORKERS, 0
    left = total
    drawing = 0.0
    while left > 0:
        tick = time.monotonic()
        drafts: list[HouseholdDraft] = []
        chunk_facts = Facts()
        while left > 0 and len(drafts) < CHUNK_HOUSEHOLDS:
            draft = maker.draft(left)
            left -= sum(1 for p in draft.people if p.worker is not None)
            facts.draw(draft, chunk_facts)
            drafts.append(draft)
        drawing += time.monotonic() - tick
        _write_chunk(timer, drafts, chunk_facts)
    sequences_reset(list(timer.writers))
    statistics_refresh()
    _summary(stdout, timer, drawing, time.monotonic() - started)


def _write_chunk(timer: Timer, drafts: list[HouseholdDraft], facts: Facts) -> None:
    """Write one chunk in dependency order, in one transaction."""
    people = [p for d in drafts for p in d.people]
    with transaction.atomic():
        timer.bulk(Worker, [p.worker for p in people if p.worker is not None])
        timer.bulk(Employment, [p.employment for p in people if p.employment is not None])
        timer.bulk(Household, [d.household for d in drafts])
        timer.bulk(HouseholdCircumstances, [d.circ for d in drafts])
        timer.bulk(HouseholdMember, [p.member for p in people])
        timer.bulk(MemberCircumstances, [p.circ for p in people])
        timer.bulk(LifeEvent, facts.events)
        timer.bulk(Document, facts.documents)
        timer.bulk(ReceivedAid, facts.aid)


def _summary(stdout: Writer, timer: Timer, drawing: float, elapsed: float) -> None:
    for model, label, unit in TABLES[1:]:
        count = model._default_manager.count()
        stdout.write(f"{label}：{count:,} {unit}（写入 {timer.seconds.get(model, 0.0):.1f} 秒）\n")
    archived = Household.objects.exclude(archive_level="").count()
    stdout.write(
        f"其中困难职工建档家庭 {archived:,} 户；生成数据用时 {drawing:.1f} 秒，登记数据合计 {elapsed:.1f} 秒\n"
    )
