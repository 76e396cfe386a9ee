#!/usr/bin/env bash
# The main job, start to finish: set up (packages, build), then run the
# shipped scenarios, each on a fresh cluster: primary-kill (failover time,
# lost writes) and split-brain (Patroni frozen on the primary; without a
# watchdog this machine FAILS its split_brain target, by design).
# Results go to pgha-results/demo/<scenario>/; extra arguments go to
# `pgha-chaos run` (for example --subnet 10.78.0.0/24 or --seed 42).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

set +e
build/pgha-chaos run scenarios/primary-kill.yaml scenarios/split-brain.yaml --output pgha-results/demo "$@"
code=$?
set -e
case $code in
  0) echo "demo: every target met" ;;
  1) echo "demo: the runs completed; a target was missed (see the verdict tables above)" ;;
  *) echo "demo: pgha-chaos run exited $code (2 bad input, 3 infrastructure error, 130 interrupted)"; exit $code ;;
esac
