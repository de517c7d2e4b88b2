"""Audit: a registry of action names and the one function services call to record.

Services call `audit_record` inside their own transaction, so an action and its
audit entry commit or roll back together; bulk services build entries with
`audit_entry` and write them with `audit_records`. Names are "<app>.<entity>.<verb>";
every name must be registered (with its Chinese label) before it is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.db import models

from niangjia.core.context import current_request
from niangjia.core.inserting import insert_records
from niangjia.core.models import AuditEntry

_ACTIONS: dict[str, str] = {
    "core.reveal": "查看敏感信息",
    "core.export": "导出数据",
    "core.identifier_search": "按证件号或手机号查找",
}


def register_actions(actions: Mapping[str, str]) -> None:
    """Declare action names (name → Chinese label); apps call this from `ready()`."""
    for name, label in actions.items():
        if _ACTIONS.get(name, label) != label:
            raise ValueError(f"audit action {name!r} registered twice with different labels")
        _ACTIONS[name] = label


def action_label(name: str) -> str:
    """Return the Chinese label of an action name (the name itself if unknown)."""
    return _ACTIONS.get(name, name)


def registered_actions() -> dict[str, str]:
    """Return a copy of every registered action and its label."""
    return dict(sorted(_ACTIONS.items()))


def _jsonable(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: (value if isinstance(value, (int, bool, type(None))) else str(value)) for key, value in values.items()}


def audit_entry(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    target_label: str | None = None,
    org_path: str | None = None,
) -> AuditEntry:
    """Build (not save) one audit entry, stamped with the current request's id and address.

    `org_path` places the entry in the union tree for scoped search; by default it is the
    actor's organization (give it when there is no actor, e.g. a failed login).
    """
    if action not in _ACTIONS:
        raise ValueError(f"audit action {action!r} is not registered")
    info = current_request()
    org = getattr(actor, "org", None) if actor is not None else None
    values = {
        "id": None,
        "at": None,  # stamped when saved (auto_now_add)
        "actor_id": actor.pk if actor is not None and actor.pk else None,
        "actor_label": getattr(actor, "username", "") or "系统",
        "org_path": org_path if org_path is not None else (getattr(org, "path", "") or ""),
        "action": action,
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "target_label": (target_label if target_label is not None else str(target) if target is not None else "")[:200],
        "old_values": _jsonable(old),
        "new_values": _jsonable(new),
        "request_id": info.request_id,
        "ip": info.ip,
    }
    # Positional arguments take Model.__init__'s quicker path (no keyword matching, no related-object
    # descriptor): bulk services build one entry per record, thousands per chunk.
    return AuditEntry(*[values[name] for name in _columns()])  # type: ignore[misc]  # the stubs type keywords only


@lru_cache(maxsize=1)
def _columns() -> list[str]:
    return [field.attname for field in AuditEntry._meta.concrete_fields]


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    target_label: str | None = None,
    org_path: str | None = None,
) -> AuditEntry:
    """Append one audit entry; call it inside the service's transaction."""
    entry = audit_entry(
        actor=actor, action=action, target=target, old=old, new=new, target_label=target_label, org_path=org_path
    )
    entry.save(force_insert=True)
    return entry


def audit_records(entries: Iterable[AuditEntry], *, batch_size: int = 1000) -> int:
    """Append many entries built with `audit_entry` in a few INSERTs; call it inside the service's transaction.

    For bulk services (imports, the demo): one entry per record still, written as Zulip's
    `bulk_create_users` writes its audit rows. Returns how many were written.
    """
    entries = list(entries)
    insert_records(entries, batch_size=batch_size)
    return len(entries)


def audit_reveal(*, actor: Any, target: models.Model, field: str) -> AuditEntry:
    """Record that `actor` saw the full value of a sensitive `field` of `target`."""
    return audit_record(actor=actor, action="core.reveal", target=target, new={"field": field})


def audit_export(*, actor: Any, what: str, rows: int, filters: Mapping[str, Any]) -> AuditEntry:
    """Record an export of `rows` rows of `what` with the filters used."""
    return audit_record(actor=actor, action="core.export", target_label=what, new={"rows": rows, **filters})


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Return the named field values of an instance, for old/new audit values."""
    return {name: getattr(instance, name) for name in fields}
