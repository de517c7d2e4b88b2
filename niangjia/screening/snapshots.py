"""Keeping the policy files a run used, and screening again with exactly those files."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from niangjia.rules import Policy, load_pack, screen
from niangjia.rules.policy.loading import PARAMETERS_FILE
from niangjia.screening.extract import extract_tables
from niangjia.screening.models import PolicyFile, ScreeningResult, ScreeningRun


def policy_files_keep(policies: Sequence[Policy]) -> list[dict[str, str]]:
    """Store each policy file (and the shared parameters file) once; return name and hash of each."""
    files: dict[str, Path] = {}
    for policy in policies:
        path = Path(policy.path)
        files[path.name] = path
        if (path.parent / PARAMETERS_FILE).exists():
            files[PARAMETERS_FILE] = path.parent / PARAMETERS_FILE
    kept = []
    known = set(PolicyFile.objects.values_list("sha256", flat=True))
    for name, path in sorted(files.items()):
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest not in known:
            PolicyFile.objects.get_or_create(sha256=digest, defaults={"name": name, "content": raw.decode("utf-8")})
        kept.append({"name": name, "sha256": digest})
    return kept


def run_reproduce(*, run: ScreeningRun) -> dict[str, int]:
    """Screen the run's households again with the run's own policy files and as-of date.

    Returns how many stored outcomes came out the same, differently, or are new/missing
    (differences mean the registry's facts changed since).
    """
    files = PolicyFile.objects.filter(sha256__in=[f["sha256"] for f in run.files])
    with tempfile.TemporaryDirectory(prefix="niangjia-policies-") as folder:
        for file in files:
            (Path(folder) / file.name).write_text(file.content, encoding="utf-8")
        policies = load_pack(folder, published_only=True)
    stored = ScreeningResult.objects.filter(run=run)
    households = sorted(set(stored.values_list("household_id", flat=True)))
    frame = screen(policies, extract_tables(household_ids=households), run.as_of, reasons="kept")
    assert isinstance(frame, pl.DataFrame)
    fresh = {
        (int(r["household_id"]), r["person_id"] or "", r["policy_id"]): (str(r["status"]), r["amount"])
        for r in frame.filter(pl.col("status").cast(pl.String) != "not_eligible").iter_rows(named=True)
    }
    old = {
        (r.household_id, str(r.member_id or ""), r.policy_id): (r.status, r.amount)
        for r in stored.only("household_id", "member_id", "policy_id", "status", "amount")
    }
    same = sum(1 for key, value in old.items() if fresh.get(key) == value)
    return {"stored": len(old), "same": same, "different": len(old) - same, "new": len(set(fresh) - set(old))}
