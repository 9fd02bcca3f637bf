#!/bin/sh
# One-shot, in temporalio/admin-tools: waits for the Temporal frontend, then creates Teeka's namespace unless it
# exists. Retention is how long closed workflow histories are kept (journeys themselves run for months).
set -eu
: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-30d}"
host="${TEMPORAL_ADDRESS%:*}"
port="${TEMPORAL_ADDRESS##*:}"
# The CLI can pick an IPv6 address Docker's network does not route; use the IPv4 one when there is one.
ip="$(getent ahostsv4 "$host" 2>/dev/null | awk 'NR == 1 { print $1 }')"
address="${ip:-$host}:$port"

attempts=0
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 30 ]; then
    echo "Temporal at $address is not healthy after $attempts tries" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" --address "$address" >/dev/null 2>&1; then
  echo "temporal namespace $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$retention" --address "$address"
  echo "temporal namespace $TEMPORAL_NAMESPACE created (retention $retention)"
fi
