#!/bin/sh
# Creates Temporal's two databases (history and visibility) on its Postgres and brings their schemas to the version
# the SQL tool ships (its embedded schemas: no schema files needed beside it). Run by docker-compose.yml's
# temporal-schema one-shot (in temporalio/admin-tools) and by `npm run cluster` and the cluster tests
# (stack/temporal-cluster.ts, with TEMPORAL_SQL_TOOL pointing at the temporal-sql-tool built once on this machine).
# Safe on every start and the way to upgrade: `create` keeps an existing database, `setup-schema -v 0.0` does
# nothing over a newer schema, and `update-schema` applies only the versions not yet applied.
# temporal-sql-tool reads the password from SQL_PASSWORD.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
port="${DB_PORT:-5432}"
tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"

setup() {
  database="$1"
  schema="$2"
  sql() { "$tool" --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" --db "$database" "$@"; }
  sql create
  sql setup-schema -v 0.0
  sql update-schema --schema-name "$schema"
  echo "temporal schema: $database is up to date"
}

setup "${DBNAME:-temporal}" postgresql/v12/temporal
setup "${VISIBILITY_DBNAME:-temporal_visibility}" postgresql/v12/visibility
