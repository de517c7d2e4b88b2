"""Fast inserts for demo data: the ORM's value preparation, one `executemany` per batch.

`bulk_create` spends most of its time compiling SQL for every batch of ~35 rows
(SQLite allows 999 parameters), which alone would exceed the 2-minute budget for
the 100,000-worker demo. Here primary keys are assigned in Python from the table's
current maximum, each row becomes a tuple of prepared values, and one parameterised
INSERT runs for the whole list. Only for demo seeding: no signals, no validation,
and it assumes no one else inserts into these tables meanwhile.

Why the people tables do not go through the bulk services (issue 10; re-measured on SQLite, the
demo's default, after the services' speed-ups of 2 December 2026): `worker_bulk_register` writes
20,000 workers in about 4.7 s (an import of 20,000 rows commits in 6.2 s, 1.5 s of it reading)
and `household_bulk_register` 10,000 households with 30,000 members in 8.3 s — each record planned,
validated and audited. For the demo's 100,000 workers and 90,000 households with 260,000 members
that is about 95 s, against 13 s with this writer (workers 4.5 s, jobs 1.1 s, households 1.9 s,
members 5.7 s), so `make demo` would take a minute and a half longer and write 450,000 audit
entries describing no one's action. The demo's generated values are valid by construction
(`demo/tests/test_registry.py` checks identifiers and ranges). The 1,600 enterprises, cheap
either way, go through `enterprise_bulk_register` (`enterprises.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

Getter = Callable[[models.Model], Any]
BATCH = 5000


def _getter(field: models.Field[Any, Any], now: Any) -> Getter:
    """How to read one column's database value from an instance."""
    ops, attname, name = connection.ops, field.attname, field.name
    if field.is_relation:

        def related(obj: models.Model) -> Any:
            value = obj.__dict__.get(attname)
            if value is None:
                parent = obj._state.fields_cache.get(name)  # assigned before the parent had its key
                value = parent.pk if parent is not None else None
            return value

        return related
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: now
    if isinstance(field, models.DateTimeField):
        return lambda obj: ops.adapt_datetimefield_value(obj.__dict__[attname])
    if isinstance(field, models.DateField):
        return lambda obj: ops.adapt_datefield_value(obj.__dict__[attname])
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda obj: ops.adapt_decimalfield_value(obj.__dict__[attname], digits, places)
    if isinstance(field, models.CharField | models.TextField | models.IntegerField | models.BooleanField):
        return lambda obj: obj.__dict__[attname]
    return lambda obj: field.get_db_prep_save(obj.__dict__[attname], connection)


class TableWriter:
    """Inserts instances of one model with explicit primary keys."""

    def __init__(self, model: type[models.Model]) -> None:
        meta = model._meta
        self.model = model
        self.fields = list(meta.concrete_fields)
        self.auto_pk = isinstance(meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.getters = [_getter(f, now) for f in self.fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        # Table and column names come from the model's metadata, quoted; values are parameters.
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        self.next_id = 0
        if self.auto_pk:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
            self.next_id = (top or 0) + 1
        self.count = 0

    def insert(self, objs: Sequence[models.Model]) -> None:
        """Give each instance its primary key (if automatic) and insert them all."""
        if self.auto_pk:
            for obj in objs:
                obj.pk = self.next_id
                self.next_id += 1
        getters = self.getters
        rows = [tuple(get(obj) for get in getters) for obj in objs]
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(self.sql, rows[start : start + BATCH])
        for obj in objs:
            obj._state.adding = False
        self.count += len(objs)


def sequences_reset(model_list: list[type[models.Model]]) -> None:
    """Move the databases' id sequences past the ids given in Python (a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def statistics_refresh() -> None:
    """On PostgreSQL, ANALYZE after the bulk load, as after any bulk load.

    Without statistics the planner takes freshly loaded tables for empty and nests loops over them:
    a cadre's scoped count took over a minute on the demo inside one transaction, where autovacuum
    cannot see the rows. ANALYZE may run inside a transaction and sees its rows.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
