#!/bin/sh
# Starts the Temporal server from deploy/temporal/config/teeka.yaml (every setting comes from the environment; the
# file says which). Used by docker-compose.yml's `temporal` service, where the one process runs all four services;
# `npm run cluster` (stack/temporal-cluster.ts) runs the same config with one `--service` per process instead.
# Arguments are passed to `start` (e.g. `--service history`).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
# Listening on every interface, the services must tell each other an address they can reach: the container's own.
if [ "${BIND_ON_IP:-127.0.0.1}" = 0.0.0.0 ] && [ -z "${TEMPORAL_BROADCAST_ADDRESS:-}" ]; then
  TEMPORAL_BROADCAST_ADDRESS="$(hostname -i | awk '{ print $1 }')"
  export TEMPORAL_BROADCAST_ADDRESS
fi
exec "${TEMPORAL_SERVER:-temporal-server}" --root "$here" --config config --env teeka start "$@"
