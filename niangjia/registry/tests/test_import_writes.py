"""`importing/` parses and reports; every write of a record goes through the registry's services (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path

import niangjia.registry.importing as importing

WRITES = re.compile(
    r"\.objects\.(create|bulk_create|bulk_update|update_or_create|get_or_create)\(|\.(save|delete)\(|"
    r"\)\.(update|delete)\(|TableWriter|cursor\(|audit_record\("
)
# The runner audits the import itself (its counts, and the disclosures it made), not the records.
ALLOWED = {"runner.py": 2}


def test_importing_writes_nothing_itself() -> None:
    found: dict[str, list[str]] = {}
    for path in sorted(Path(importing.__file__).parent.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITES.search(line) and not line.lstrip().startswith(("#", "from ", "import ")):
                found.setdefault(path.name, []).append(f"{number}: {line.strip()}")
    assert {name: len(lines) for name, lines in found.items()} == ALLOWED, found
