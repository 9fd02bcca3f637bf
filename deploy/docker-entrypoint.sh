#!/bin/sh
# Teeka's image runs one role per container: api (default), worker, migrate or seed — the package.json scripts
# of the same names — or admin:create with its arguments (docs/operations.md). The role's script is exec'd as `node --import tsx` so that node is PID 1 and SIGTERM reaches
# it directly; `npm run` and the tsx CLI would each sit in between as a process that has to relay the signal.
# Anything else is run as given (`docker compose run --rm api sh`).
set -eu
role="${1:-api}"
case "$role" in
  api) exec node --import tsx api/server.ts ;;
  worker) exec node --import tsx workflows/worker.ts ;;
  migrate) exec node --import tsx db/migrate.ts ;;
  seed) exec node --import tsx db/seed.ts ;;
  admin:create) shift; exec node --import tsx db/create-admin.ts "$@" ;;
  *) exec "$@" ;;
esac
