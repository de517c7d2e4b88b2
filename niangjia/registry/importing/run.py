"""The state of one import while it runs: options, counts, errors, duplicates seen."""

from __future__ import annotations

from dataclasses import dataclass, field

from niangjia.core.tabular.errors import ImportFileError
from niangjia.core.tabular.rows import Header, Row
from niangjia.registry.importing.context import ImportContext
from niangjia.registry.importing.result import ImportResult

CHUNK_ROWS = 2000
ELSEWHERE = (
    "该身份证号的职工已由其他工会登记。如其已到本单位工作，请在“调动申请”中提交申请，"
    "原负责工会确认后即转入；如号码有误，请核对身份证。"
)


@dataclass
class ImportRun:
    """One pass over a file. `commit=False` is a dry run: nothing is written."""

    ctx: ImportContext
    result: ImportResult
    header: Header
    commit: bool
    good_rows_only: bool
    canonical: dict[str, str] = field(default_factory=dict)
    seen: dict[str, tuple[int, str]] = field(default_factory=dict)
    # How many more "registered by another union" answers the importer may get (None: no limit),
    # and the workers already told in this upload's preview.
    disclosures_left: int | None = None
    disclosed: frozenset[str] = frozenset()

    @property
    def writing(self) -> bool:
        """Whether to write now: committing, and (all-or-nothing) no bad row met so far."""
        return self.commit and (self.good_rows_only or self.result.error_rows == 0)

    def title(self, key: str) -> str:
        """The column's header as the file spells it (the template's, for a column the file lacks)."""
        return self.header.titles.get(key) or self.canonical.get(key, key)

    def reject(self, row: Row, key: str, reason: str) -> None:
        """Record an error for column `key` of `row`."""
        row.error(key, reason, self.title(key))

    def first_seen(
        self, row: Row, key: str, identity: str, what: str, name: str = "", *, named: str = "姓名", card: str = "身份证"
    ) -> bool:
        """Return True the first time `identity` appears in the file; else reject the row naming the first.

        The same number under two different names is more likely a typing slip in one of them than
        one record twice, so the message says to check the number against the `card`, not to delete or merge.
        """
        first, first_name = self.seen.setdefault(identity, (row.number, name))
        if first == row.number:
            return True
        if name and first_name and name != first_name:
            reason = (
                f"与第 {first} 行（{first_name}）的{what}相同，但{named}不同，很可能其中一行的{what}录错了。"
                f"请对照{card}核对这两行的{what}。"
            )
        else:
            reason = f"与第 {first} 行的{what}重复，同一{what}只能出现一次，请删除重复的行。"
        self.reject(row, key, reason)
        return False

    def found_elsewhere(self, row: Row, record: str, key: str = "id_number", reason: str = "") -> None:
        """Reject a row naming a record another union holds (`record`: "worker:12", "member:7").

        Telling the importer so is a disclosure: it counts against the hourly budget, once per
        record and upload, and the whole file is refused when the budget runs out.
        """
        found = self.result.found_elsewhere
        if record not in self.disclosed and record not in found:
            found.append(record)
            if self.disclosures_left is not None and len(found) > self.disclosures_left:
                raise ImportFileError(
                    "文件中已由其他工会登记的身份证号过多，超过每小时可核对的次数。"
                    "请先核对这些人员的身份证号，或稍后分批导入；如确有工作需要，请联系区县总工会。"
                )
        self.reject(row, key, reason or ELSEWHERE)

    def settle(self, row: Row) -> bool:
        """Count the row and record its errors; return whether it is good."""
        if not row.errors:
            return True
        self.result.error_rows += 1
        for error in row.errors:
            self.result.add_error(error)
        return False
