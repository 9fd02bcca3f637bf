#!/bin/sh
# One-shot, in temporalio/admin-tools: creates Temporal's two databases (history and visibility) on its Postgres and
# brings their schemas to the version this admin-tools image ships. Safe on every start and the way to upgrade:
# `create` keeps an existing database, `setup-schema -v 0.0` does nothing over a newer schema, and `update-schema`
# applies only the versions not yet applied. temporal-sql-tool reads the password from SQL_PASSWORD.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
port="${DB_PORT:-5432}"
schemas=/etc/temporal/schema/postgresql/v12

setup() {
  database="$1"
  versions="$2"
  sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" --db "$database" "$@"; }
  sql create
  sql setup-schema -v 0.0
  sql update-schema -d "$versions"
  echo "temporal schema: $database is up to date"
}

setup "${DBNAME:-temporal}" "$schemas/temporal/versioned"
setup "${VISIBILITY_DBNAME:-temporal_visibility}" "$schemas/visibility/versioned"
