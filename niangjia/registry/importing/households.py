"""Importing households: one row per member, grouped by the head's ID number.

Each group becomes `HouseholdData` (the household's facts and the head's from the head's row,
the other rows as `MemberData`) and each chunk goes to `household_bulk_register`, which checks
scope, stamps `facts_changed_at`, writes and audits; this module maps and reports. A dry run
plans and checks every household without writing, so its counts are those a commit would give.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from niangjia.core.identifiers import validate_id_number
from niangjia.core.tabular.cells import CellError
from niangjia.core.tabular.rows import Row
from niangjia.registry.choices import Relation
from niangjia.registry.identity import id_digest
from niangjia.registry.importing.result import validation_messages
from niangjia.registry.importing.run import CHUNK_ROWS, ImportRun
from niangjia.registry.models import Worker
from niangjia.registry.services import HouseholdData, HouseholdFacts, MemberData, MemberFacts, household_bulk_register
from niangjia.registry.services.bulk import NEW, RowOutcome
from niangjia.registry.services.households import HOUSEHOLD_FACTS, MEMBER_FACTS
from niangjia.registry.services.households_bulk import HOUSEHOLD_REFUSED, HouseholdOutcome

MEMBER_VALUES = ["birth_date", "work_status", "able_to_work", "school_stage", "admission_year", "admission_kind"]
# The file's column for each field a service may complain about.
ERROR_COLUMNS = {"head": "head_id", "id_number": "id_number", "__all__": "name"}


@dataclass
class Group:
    """The rows of one household, with its head worker once found."""

    head_id: str
    rows: list[Row] = field(default_factory=list)
    head: Worker | None = None

    @property
    def head_row(self) -> Row | None:
        return next((row for row in self.rows if row.values["relation"] == Relation.HEAD), None)


def import_households(rows: Iterator[Row], run: ImportRun) -> None:
    """Check every row, group by head, then register each chunk of households with the bulk service."""
    groups: dict[str, Group] = {}
    for row in rows:
        if _clean(row, run):
            groups.setdefault(row.values["head_id"], Group(row.values["head_id"])).rows.append(row)
    ordered = list(groups.values())
    for start in range(0, len(ordered), CHUNK_ROWS):
        chunk = ordered[start : start + CHUNK_ROWS]
        _resolve(chunk, run)
        found = [group for group in chunk if group.head is not None]
        outcome = household_bulk_register(actor=run.ctx.user, rows=[_data(g) for g in found], write=run.writing)
        for group, result in zip(found, outcome, strict=True):
            assert isinstance(result, HouseholdOutcome)
            _report(group, result, run)


def _data(group: Group) -> HouseholdData:
    """A group's rows as HouseholdData (a blank cell is a fact not given)."""
    assert group.head is not None
    head_row = group.head_row
    head = head_row.values if head_row is not None else {}
    return HouseholdData(
        head=group.head,
        facts=HouseholdFacts(**_given(head, [*HOUSEHOLD_FACTS, "area"])),
        head_facts=MemberFacts(**_given(head, [*MEMBER_VALUES[1:], *MEMBER_FACTS])),
        members=[
            MemberData(name=row.values["name"], relation=row.values["relation"], id_number=row.values.get("id_number"),
                       facts=MemberFacts(**_given(row.values, [*MEMBER_VALUES, *MEMBER_FACTS])))
            for row in group.rows if row is not head_row
        ],
    )  # fmt: skip


def _given(values: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {name: values[name] for name in names if values.get(name) is not None}


def _report(group: Group, outcome: HouseholdOutcome, run: ImportRun) -> None:
    """Put the service's answers on the rows, in the file's terms, and count them."""
    head_row = group.head_row
    first = head_row or group.rows[0]
    if outcome.error is not None:
        _reject(first, outcome.error, run)
    elif outcome.status == NEW:
        run.result.extra["households_new"] = run.result.extra.get("households_new", 0) + 1
    if head_row is not None and run.settle(head_row):
        _count(run, outcome)
    members = [row for row in group.rows if row is not head_row]
    for row, result in zip(members, outcome.members, strict=True):
        if result.elsewhere and isinstance(result.error, ValidationError):
            run.found_elsewhere(row, result.elsewhere, reason=validation_messages(result.error).get("id_number", ""))
        elif _code(result.error) == HOUSEHOLD_REFUSED:
            if row is not first:
                run.reject(row, "head_id", f"户主所在家庭未能导入（见第 {first.number} 行），该成员未导入。")
        elif result.error is not None:
            _reject(row, result.error, run)
        if run.settle(row):
            _count(run, result)


def _reject(row: Row, error: ValidationError | PermissionDenied, run: ImportRun) -> None:
    messages = validation_messages(error) if isinstance(error, ValidationError) else {"head": str(error)}
    for name, message in messages.items():
        run.reject(row, ERROR_COLUMNS.get(name, name if name in row.values else "name"), message)


def _code(error: ValidationError | PermissionDenied | None) -> str | None:
    return error.error_list[0].code if isinstance(error, ValidationError) and hasattr(error, "error_list") else None


def _count(run: ImportRun, outcome: RowOutcome[Any]) -> None:
    setattr(run.result, outcome.status, getattr(run.result, outcome.status) + 1)


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
        run.first_seen(row, "id_number", f"member:{member_id}", "成员身份证号", name=values["name"])
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
            run.settle(row)
