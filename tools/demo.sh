#!/usr/bin/env bash
# The main job, start to finish: set up (packages, build), stand up the
# compact cluster, show its status, write a row through the primary port
# and read it back through the replica port, then take it all down.
# Extra arguments go to `pgha-chaos up` (for example --subnet 10.78.0.0/24).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

bin=build/pgha-chaos
down() { "$bin" down || "$bin" cleanup; }
trap down EXIT

"$bin" up "$@"
"$bin" status

run=$(cat /var/lib/pgha-chaos/current)
export PGPASSFILE=/var/lib/pgha-chaos/runs/$run/pgpass
lb=$("$bin" status --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print([n["address"] for n in j["nodes"] if n["haproxy"]][0])')
psql -X -q "host=$lb port=5000 user=postgres dbname=postgres" -c \
  "CREATE TABLE demo(id int primary key, at timestamptz default now()); INSERT INTO demo(id) VALUES (1)"
for _ in $(seq 1 50); do
  row=$(psql -X -At "host=$lb port=5001 user=postgres dbname=postgres" -c "SELECT 'row ' || id || ' read back from replica ' || inet_server_addr() FROM demo" 2>/dev/null || true)
  [ -n "$row" ] && break
  sleep 0.1
done
echo "${row:-the row did not reach a replica within 5 s}"
