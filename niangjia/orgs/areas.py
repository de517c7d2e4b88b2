"""Loading the shipped area and zone data files (see data/README.md for sources)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from niangjia.orgs.models import Area

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    """Return the rows of one shipped data file."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def areas_load() -> int:
    """Create or update every area of `areas.csv` (parents first); return how many rows."""
    rows = read_csv("areas.csv")
    centers = {row["code"]: row for row in read_csv("area_centers.csv")}
    by_code: dict[str, Area] = {area.code: area for area in Area.objects.all()}
    with transaction.atomic():
        # Rows are ordered parent before child in the file; sort by length to be sure.
        for row in sorted(rows, key=lambda r: (len(r["code"]), r["code"])):
            center = centers.get(row["code"])
            values = {
                "name": row["name"],
                "level": row["level"],
                "parent": by_code.get(row["parent_code"]) if row["parent_code"] else None,
                "source": row["source"][:200],
                "lng": Decimal(center["lng"]) if center else None,
                "lat": Decimal(center["lat"]) if center else None,
            }
            area, _ = Area.objects.update_or_create(code=row["code"], defaults=values)
            by_code[area.code] = area
    return len(rows)
