"""Validation errors that name the file, the line and the fix — in Chinese."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PolicyIssue:
    """One problem in a policy file."""

    file: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}：{self.message}。修改方法：{self.fix}"


class PolicyError(Exception):
    """Raised when policy files do not validate; carries every issue found."""

    def __init__(self, issues: list[PolicyIssue]) -> None:
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues
