#!/usr/bin/env bash
# Checks `--packages DIR` end to end, as issue 25 asks and as a user would:
# Debian's own Patroni and etcd-server .deb files (apt-get download: the
# only versions this machine can reach) in a fresh folder, baked into a
# container image by tools/build-image.sh --packages, then primary-kill on
# containers from that image; the result must name each package's version
# and SHA-256. Prints each stage's time. The folder and the results are
# removed at the end; the image stays under /var/lib/pgha-chaos/images/
# (debian12-pkg-<key>), a cache like the base image (rm -rf it to free
# 0.6 GB). Root only; about 2 minutes and one cluster (run nothing beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "tools/packages_check.sh: must run as root" >&2; exit 2; }
[ -x build/pgha-chaos ] || { echo "tools/packages_check.sh: build/pgha-chaos is missing: run tools/demo.sh first" >&2; exit 2; }

work=$(mktemp -d /var/tmp/pgha-packages-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/debs"
t0=$(date +%s)
(cd "$work/debs" && timeout 300 apt-get download -q patroni etcd-server 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
ls "$work"/debs/*.deb >/dev/null 2>&1 || { echo "tools/packages_check.sh: apt-get download fetched nothing" >&2; exit 1; }
t1=$(date +%s)
echo "packages_check: downloaded $(ls "$work/debs" | tr '\n' ' ')in $((t1 - t0)) s"
bash tools/build-image.sh --packages "$work/debs"
t2=$(date +%s)
echo "packages_check: image built in $((t2 - t1)) s"
status=0
build/pgha-chaos run scenarios/primary-kill.yaml --provider containers --packages "$work/debs" \
  --output "$work/results" || status=$?
t3=$(date +%s)
echo "packages_check: primary-kill on that image in $((t3 - t2)) s, exit $status"
for f in "$work"/debs/*.deb; do
  name=$(dpkg-deb -f "$f" Package)
  want="$(dpkg-deb -f "$f" Version) sha256 $(sha256sum "$f" | cut -d' ' -f1)"
  got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["versions"].get("package."+sys.argv[2], ""))' \
    "$work/results/primary-kill/result.json" "$name")
  if [ "${got%% (*}" = "$want" ]; then
    echo "packages_check: result.json names $name $want"
  else
    echo "packages_check: result.json has '$got' for $name, expected '$want'" >&2
    status=1
  fi
done
echo "packages_check: $([ $status = 0 ] && echo passed || echo FAILED) in $((t3 - t0)) s"
exit $status
