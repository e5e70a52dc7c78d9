#!/usr/bin/env bash
# PostgreSQL runs on 127.0.0.1:5432 with trust auth on these machines, but may have stopped:
# start it if needed, then create the test database the ledger tests use.
set -euo pipefail
DB=acs_lifecycle_test

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it"
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }

if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE $DB"
fi
echo "PostgreSQL ready: database $DB on 127.0.0.1:5432"
