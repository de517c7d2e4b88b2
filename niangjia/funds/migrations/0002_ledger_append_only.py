"""Make the ledger append-only in the database itself, and balanced on PostgreSQL.

UPDATE, DELETE and TRUNCATE of ledger transactions and lines are refused by triggers. On PostgreSQL
the switch the audit log uses (`SET LOCAL niangjia.audit_maintenance = 'on'`, an administrator's, for
one transaction; docs/operations.md) lifts it, so the test suite can empty the tables between
transactional tests; and deferred constraint triggers refuse to commit a transaction whose lines do
not sum to zero, or that has fewer than two lines.
"""

from django.db import migrations

TABLES = ("funds_ledgertransaction", "funds_ledgerentry")

SQLITE_UP = [
    statement
    for table in TABLES
    for statement in (
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;""",
    )
]
SQLITE_DOWN = [
    statement
    for table in TABLES
    for statement in (f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;")
]
PG_UP = [
    """CREATE OR REPLACE FUNCTION funds_ledger_refuse() RETURNS trigger AS $$
       BEGIN
         IF current_setting('niangjia.audit_maintenance', true) = 'on' THEN
           IF TG_OP = 'DELETE' THEN RETURN OLD; ELSIF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'ledger is append-only';
       END; $$ LANGUAGE plpgsql;""",
    *[
        statement
        for table in TABLES
        for statement in (
            f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION funds_ledger_refuse();""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION funds_ledger_refuse();""",
        )
    ],
    """CREATE OR REPLACE FUNCTION funds_ledger_balanced() RETURNS trigger AS $$
       DECLARE tx bigint; lines integer; total numeric;
       BEGIN
         IF TG_TABLE_NAME = 'funds_ledgerentry' THEN tx := NEW.transaction_id; ELSE tx := NEW.id; END IF;
         SELECT count(*), coalesce(sum(amount), 0) INTO lines, total FROM funds_ledgerentry WHERE transaction_id = tx;
         IF lines < 2 OR total <> 0 THEN
           RAISE EXCEPTION 'ledger transaction % does not balance (% lines, sum %)', tx, lines, total;
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql;""",
    *[
        f"""CREATE CONSTRAINT TRIGGER {table}_balanced AFTER INSERT ON {table}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funds_ledger_balanced();"""
        for table in TABLES
    ],
]
PG_DOWN = [
    *[
        statement
        for table in TABLES
        for statement in (
            f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_balanced ON {table};",
        )
    ],
    "DROP FUNCTION IF EXISTS funds_ledger_refuse();",
    "DROP FUNCTION IF EXISTS funds_ledger_balanced();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
