#!/usr/bin/env bash
# Builds the Debian 12 base image of the containers provider (once): a
# root filesystem made by mmdebstrap from this machine's own apt sources,
# with fixtures/image/packages.txt installed, every packaged service
# disabled (pgha-chaos or Ansible configures and starts them), no default
# PostgreSQL cluster, systemd-networkd and sshd enabled.
#
#   /var/lib/pgha-chaos/images/debian12/rootfs    the image (read-only lower layer of every container)
#   /var/lib/pgha-chaos/images/debian12/packages  the package list it was built from, one line
#
# Rebuilt only when the package list (or this script) changes; a second
# run does nothing. PGHA_CHAOS_IMAGES moves the folder. Root only.
set -euo pipefail
cd "$(dirname "$0")/.."

images=${PGHA_CHAOS_IMAGES:-/var/lib/pgha-chaos/images}
image=$images/debian12
# The package words, one line, as the containers provider compares them.
want=$(grep -v '^#' fixtures/image/packages.txt | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
script=$(sha256sum tools/build-image.sh | cut -c1-16)

if [ "$(cat "$image/packages" 2>/dev/null)" = "$want" ] && [ "$(cat "$image/script" 2>/dev/null)" = "$script" ] &&
  [ -x "$image/rootfs/lib/systemd/systemd" ]; then
  echo "tools/build-image.sh: image up to date: $image"
  exit 0
fi

# This machine's apt sources, as they are (no mirror is named here).
sources=$(mktemp)
trap 'rm -f "$sources"' EXIT
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  case "$f" in
    *.sources) cat "$f"; echo ;;
    *) grep -E '^deb ' "$f" || true ;;
  esac
done > "$sources"
if ! grep -qE '^(deb |URIs:)' "$sources"; then
  echo "tools/build-image.sh: this machine has no apt sources (/etc/apt/sources.list*); cannot build the image" >&2
  exit 2
fi

# What building and booting the image needs (tools/setup.sh --tests has them already).
need=()
for p in mmdebstrap systemd-container; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "tools/build-image.sh: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

packages=$(grep -v '^#' fixtures/image/packages.txt | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
echo "tools/build-image.sh: building $image (mmdebstrap, about a minute)"
rm -rf "$image.new"
mkdir -p "$image.new"
start=$(date +%s)
# essential-hook: before any package is configured (no default cluster);
# customize-hook: the services stay off, the network and sshd on.
mmdebstrap --quiet --variant=apt --include="$packages" \
  --essential-hook='mkdir -p "$1/etc/postgresql-common" && echo "create_main_cluster = false" > "$1/etc/postgresql-common/createcluster.conf"' \
  --customize-hook='chroot "$1" systemctl disable etcd haproxy keepalived pgbouncer postgresql patroni >/dev/null 2>&1 || true' \
  --customize-hook='chroot "$1" systemctl enable systemd-networkd ssh >/dev/null 2>&1' \
  --customize-hook='chroot "$1" systemctl mask systemd-resolved.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer >/dev/null 2>&1 || true' \
  --customize-hook='rm -rf "$1"/var/cache/apt/*.bin "$1"/var/lib/apt/lists/* "$1"/etc/machine-id; : > "$1/etc/machine-id"' \
  bookworm "$image.new/rootfs" - < "$sources"
printf '%s\n' "$want" > "$image.new/packages"
printf '%s\n' "$script" > "$image.new/script"
rm -rf "$image"
mv "$image.new" "$image"
echo "tools/build-image.sh: image ready in $(( $(date +%s) - start )) s: $image ($(du -sh "$image/rootfs" | cut -f1))"
