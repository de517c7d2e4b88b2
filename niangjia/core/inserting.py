"""Inserting many planned records at once: COPY on PostgreSQL, `bulk_create` elsewhere.

For bulk services (imports, the audit rows they write), whose records are already validated.
On PostgreSQL `bulk_create` prepares every value in Python and psycopg quotes each UNNEST array
into the SQL text: for a 20,000-row worker import that was about 4 of its 10 seconds (workers,
jobs and audit entries). Here the primary keys come from the table's sequence in one query and
the rows are streamed with COPY, psycopg adapting the values in C. Other databases (SQLite)
get `bulk_create`, which is quick there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)
Getter = Callable[[models.Model], Any]
_RAW = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DateField,
        models.DecimalField)  # fmt: skip


def insert_records(objs: Sequence[M], *, batch_size: int = 1000) -> None:
    """Insert new instances of one model, giving each its primary key; no signals, no validation."""
    if not objs:
        return
    model = type(objs[0])
    fields = list(model._meta.concrete_fields)
    if connection.vendor != "postgresql" or any(f.has_db_default() for f in fields):  # type: ignore[attr-defined]
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    _assign_keys(model, [obj for obj in objs if obj.pk is None])
    now = timezone.now()
    getters = [_getter(field, now) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # Table and column names come from the model's metadata, quoted; values go through COPY.
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objs:
            copy.write_row([get(obj) for get in getters])
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def _assign_keys(model: type[models.Model], objs: list[M]) -> None:
    """Take one key per instance from the table's sequence (safe beside other writers)."""
    pk = model._meta.pk
    if not objs or not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objs)],
        )
        keys = sorted(key for (key,) in cursor.fetchall())
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key


def _getter(field: models.Field[Any, Any], now: datetime) -> Getter:
    """How to read one column's value from an instance (what `bulk_create` would have sent)."""
    attname, name = field.attname, field.name
    if field.is_relation:

        def related(obj: models.Model) -> Any:
            value = obj.__dict__.get(attname)
            if value is None:
                parent = obj._state.fields_cache.get(name)  # assigned before the parent had its key
                if parent is not None:
                    value = parent.pk
                    setattr(obj, attname, value)
            return value

        return related
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):

        def stamped(obj: models.Model) -> Any:
            setattr(obj, attname, now)
            return now

        return stamped
    if isinstance(field, _RAW):  # psycopg adapts these Python values itself
        return lambda obj: obj.__dict__[attname]
    return lambda obj: field.get_db_prep_save(obj.__dict__[attname], connection)
