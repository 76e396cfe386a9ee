#!/usr/bin/env bash
# Times the main job as a newcomer meets it: `tools/demo.sh` on a fresh
# Debian 12 (a root filesystem made by mmdebstrap from this machine's apt
# sources, priority "important" as a minimal server install has, nothing
# of pgha-chaos's installed), run inside it by systemd-nspawn with this
# checkout's committed files (git archive HEAD). demo.sh installs the
# run-time packages, builds the binary and runs primary-kill and
# split-brain; the container shares the machine's network (apt reaches the
# mirror; the scenarios' namespaces are made beside the machine's own, on
# demo.sh's subnet), holds every capability and may write /proc/sys, as
# pgha-chaos on a real host may. Prints each stage's time; the root
# filesystem is removed at the end, whatever happens. Root only; takes
# about ten minutes and the whole machine (run nothing beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "tools/fresh_demo.sh: must run as root" >&2; exit 2; }
for tool in mmdebstrap systemd-nspawn git; do
  command -v "$tool" >/dev/null || { echo "tools/fresh_demo.sh: $tool is missing (tools/setup.sh --tests installs it)" >&2; exit 2; }
done

root=$(mktemp -d /var/tmp/pgha-fresh-XXXXXX)
trap 'rm -rf "$root"' EXIT
sources=$root/sources
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  case "$f" in
    *.sources) cat "$f"; echo ;;
    *) grep -E '^deb ' "$f" || true ;;
  esac
done > "$sources"

start=$(date +%s)
echo "== a fresh Debian 12 in $root/rootfs (mmdebstrap, variant important)"
mmdebstrap --quiet --variant=important bookworm "$root/rootfs" - < "$sources"
made=$(date +%s)
echo "   made in $((made - start)) s ($(du -sh "$root/rootfs" | cut -f1))"
mkdir -p "$root/rootfs/root/pgha-chaos"
git archive HEAD | tar -x -C "$root/rootfs/root/pgha-chaos"
cp /etc/resolv.conf "$root/rootfs/etc/resolv.conf"

echo "== tools/demo.sh inside it, as a newcomer runs it"
status=0
# --keep-unit, --register=no: this machine's pid 1 is no systemd (no bus to ask).
SYSTEMD_NSPAWN_API_VFS_WRITABLE=1 systemd-nspawn --quiet --register=no --keep-unit --machine=pgha-fresh-demo \
  --resolv-conf=off --timezone=off --link-journal=no --capability=all -D "$root/rootfs" \
  --chdir=/root/pgha-chaos /bin/bash -c 'start=$(date +%s); tools/demo.sh; code=$?;
    echo "== demo.sh: $(( $(date +%s) - start )) s (exit $code)"; exit $code' || status=$?
echo "== total, the fresh root filesystem included: $(( $(date +%s) - start )) s"
exit $status
