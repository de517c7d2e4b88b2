"""Importing households: one row per member, grouped by the head's ID number.

Households are small in number next to workers, and every change to them is a
fact policies read, so each one goes through the household services (which
check scope, stamp `facts_changed_at` and audit). A dry run writes inside the
import's transaction and rolls it back, so its counts are exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from niangjia.core.identifiers import validate_id_number
from niangjia.registry.choices import Relation
from niangjia.registry.identity import id_digest
from niangjia.registry.importing.cells import CellError
from niangjia.registry.importing.commit_households import household_write
from niangjia.registry.importing.rows import Row
from niangjia.registry.importing.run import CHUNK_ROWS, ImportRun
from niangjia.registry.models import Worker


@dataclass
class Group:
    """The rows of one household, with what the database already holds for it."""

    head_id: str
    rows: list[Row] = field(default_factory=list)
    head: Worker | None = None


def import_households(rows: Iterator[Row], run: ImportRun) -> None:
    """Validate every row, group by head, then write each household through the services."""
    groups: dict[str, Group] = {}
    for row in rows:
        if _clean(row, run):
            groups.setdefault(row.values["head_id"], Group(row.values["head_id"])).rows.append(row)
    ordered = list(groups.values())
    for start in range(0, len(ordered), CHUNK_ROWS):
        chunk = ordered[start : start + CHUNK_ROWS]
        _resolve(chunk, run)
        for group in chunk:
            good = [row for row in group.rows if run.settle(row)]
            if good and group.head is not None:
                household_write(group.head, good, run)


def _clean(row: Row, run: ImportRun) -> bool:
    """Check one row on its own; return whether it may go on (errors are settled later)."""
    values = row.values
    for key in ("head_id", "id_number"):
        if values.get(key) or key == "head_id":
            try:
                values[key] = validate_id_number(values.get(key) or "")
            except ValidationError as exc:
                run.reject(row, key, exc.messages[0])
    if not values.get("name") and "name" not in row.raw:
        run.reject(row, "name", "成员姓名不能为空。")
    if not values.get("relation") and "relation" not in row.raw:
        run.reject(row, "relation", "请填写与户主关系，如 户主、配偶、子女。")
    if values.get("area"):
        try:
            values["area"] = run.ctx.area(values["area"])
        except CellError as exc:
            run.reject(row, "area", str(exc))
    if row.errors:
        run.settle(row)
        return False
    is_head = values["relation"] == Relation.HEAD
    member_id = values.get("id_number")
    if is_head and member_id and member_id != values["head_id"]:
        run.reject(row, "id_number", "户主行的成员身份证号应与户主身份证号相同（或留空）。")
    elif not is_head and member_id == values["head_id"]:
        run.reject(row, "relation", "成员身份证号与户主相同，该行应填“户主”。")
    elif is_head:
        run.first_seen(row, "relation", f"head:{values['head_id']}", "户主")
    elif member_id:
        run.first_seen(row, "id_number", f"member:{member_id}", "成员身份证号")
    else:
        run.first_seen(row, "name", f"member:{values['head_id']}:{values['name']}", "成员（同一户主下的同名成员）")
    if row.errors:
        run.settle(row)
        return False
    return True


def _resolve(groups: list[Group], run: ImportRun) -> None:
    """Find each group's head worker; reject the rows of heads unknown or out of scope."""
    digests = {id_digest(group.head_id): group for group in groups}
    heads = {w.id_number_hash: w for w in Worker.objects.filter(id_number_hash__in=list(digests))}
    allowed = set(run.ctx.changeable(Worker.objects.filter(pk__in=[w.pk for w in heads.values()]))
                  .values_list("pk", flat=True))  # fmt: skip
    for digest, group in digests.items():
        head = heads.get(digest)
        if head is None or head.pk not in allowed:
            # One answer for "not on file" and "held by another union": no existence oracle.
            reason = (
                "在您管辖的职工中没有找到该户主，请先导入职工名册（户主须是您管辖范围内已登记的职工），或核对身份证号。"
            )
        else:
            group.head = head
            continue
        for row in group.rows:
            run.reject(row, "head_id", reason)
