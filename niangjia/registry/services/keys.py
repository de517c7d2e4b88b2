"""Re-encrypting protected fields under the current data key (key rotation)."""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Q

from niangjia.core.audit import audit_record
from niangjia.core.keys import keyring
from niangjia.registry.identity import FIELDS, read_protected, set_protected
from niangjia.registry.models import HouseholdMember, Worker

ROTATABLE: list[tuple[type[models.Model], list[str]]] = [
    (Worker, ["id_number", "phone", "address", "bank_account"]),
    (HouseholdMember, ["id_number"]),
]


def _stale(model: type[models.Model], stems: list[str], prefix: str) -> Q:
    condition = Q()
    for stem in stems:
        column = f"{stem}_enc"
        condition |= ~Q(**{column: ""}) & ~Q(**{f"{column}__startswith": prefix})
    return condition


def data_key_rotate(*, batch_size: int = 1000, dry_run: bool = False) -> dict[str, int]:
    """Re-encrypt every token not under the current key, one keyset batch per transaction.

    Hashes do not change (they use the separate hash key). Safe to stop and rerun.
    """
    ring = keyring()
    prefix = f"v1.{ring.current_id}."
    counts: dict[str, int] = {}
    for model, stems in ROTATABLE:
        stale = model._default_manager.filter(_stale(model, stems, prefix))
        if dry_run:
            counts[model._meta.label] = stale.count()
            continue
        done, last_id = 0, 0
        while True:
            with transaction.atomic():
                rows = list(stale.filter(pk__gt=last_id).order_by("pk").select_for_update()[:batch_size])
                if not rows:
                    break
                for row in rows:
                    for stem in stems:
                        if getattr(row, f"{stem}_enc"):
                            set_protected(row, FIELDS[stem], read_protected(row, FIELDS[stem]))
                model._default_manager.bulk_update(rows, [f"{stem}_enc" for stem in stems])
                done += len(rows)
                last_id = rows[-1].pk
        counts[model._meta.label] = done
    if not dry_run:
        with transaction.atomic():
            audit_record(actor=None, action="registry.keys.rotate", target_label="数据密钥", new=counts)
    return counts
