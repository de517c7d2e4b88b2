"""Set up Django for a benchmark script against a chosen database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url: str | None = None) -> None:
    """Point Django at `database_url` (or the environment's) and initialise it."""
    sys.path.insert(0, str(ROOT))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Measure as production runs: DEBUG keeps every query's text in memory.
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def fresh_database(url: str) -> None:
    """Drop and recreate the database named in a PostgreSQL or SQLite URL, then migrate it."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        Path(config["NAME"]).unlink(missing_ok=True)
    else:
        import psycopg

        admin = psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"],
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
        admin.close()
    setup(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
