"""PostgreSQL indexes for worker search: prefix match on names and initials, substring match on names.

`varchar_pattern_ops` lets `LIKE '冯建%'` and `LIKE 'fjm%'` use a b-tree under any collation; a
trigram GIN index serves `LIKE '%建民x%'` (three characters or more). SQLite has neither and
needs neither at demo scale.
"""

from django.db import migrations

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS worker_initials_prefix_idx ON registry_worker (name_initials varchar_pattern_ops);",
    "CREATE INDEX IF NOT EXISTS worker_name_prefix_idx ON registry_worker (name varchar_pattern_ops);",
    "CREATE INDEX IF NOT EXISTS worker_name_trgm_idx ON registry_worker USING gin (name gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS enterprise_name_trgm_idx ON registry_enterprise USING gin (name gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS area_code_prefix_idx ON orgs_area (code varchar_pattern_ops);",
    "CREATE INDEX IF NOT EXISTS unionorg_path_prefix_idx ON orgs_unionorg (path varchar_pattern_ops);",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS worker_initials_prefix_idx;",
    "DROP INDEX IF EXISTS worker_name_prefix_idx;",
    "DROP INDEX IF EXISTS worker_name_trgm_idx;",
    "DROP INDEX IF EXISTS enterprise_name_trgm_idx;",
    "DROP INDEX IF EXISTS area_code_prefix_idx;",
    "DROP INDEX IF EXISTS unionorg_path_prefix_idx;",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial"), ("orgs", "0001_initial")]

    operations = [migrations.RunPython(_run(PG_UP), _run(PG_DOWN))]
