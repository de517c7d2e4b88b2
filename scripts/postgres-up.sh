#!/usr/bin/env bash
# Start Debian's PostgreSQL if nothing answers on 127.0.0.1:5432, and make sure the
# `niangjia` role (password niangjia, may create databases) and database exist.
# Used by CI and `make bench`; a production server is set up as in docs/operations.md.
set -euo pipefail
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'niangjia') THEN
    CREATE ROLE niangjia LOGIN CREATEDB PASSWORD 'niangjia';
  END IF;
END $$;
SQL
su postgres -c "psql -lqt" | cut -d'|' -f1 | grep -qw niangjia || su postgres -c "createdb -O niangjia niangjia"
