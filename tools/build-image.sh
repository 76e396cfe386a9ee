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
#
# --packages DIR bakes the user's own .deb files (their Patroni, PostgreSQL,
# etcd, HAProxy or PgBouncer builds) over Debian's, into an image of its own
# keyed by the files' hashes (`run --provider containers --packages DIR`
# picks it):
#   /var/lib/pgha-chaos/images/debian12-pkg-<key>/debs  package, version, sha256 and file of each
# <key>: the first 16 hex digits of the SHA-256 of `sha256sum` of the files,
# one "<sha256>  <file name>" line each, in byte order of the names.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: tools/build-image.sh [--packages DIR]"
debs_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --packages) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; debs_dir=$2; shift 2 ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) echo "tools/build-image.sh: unknown argument '$1'; $usage" >&2; exit 2 ;;
  esac
done

images=${PGHA_CHAOS_IMAGES:-/var/lib/pgha-chaos/images}
image=$images/debian12
debs=()
if [ -n "$debs_dir" ]; then
  absolute=$(cd "$debs_dir" 2>/dev/null && pwd) || { echo "tools/build-image.sh: --packages: no folder '$debs_dir'" >&2; exit 2; }
  debs_dir=$absolute
  while IFS= read -r -d '' f; do debs+=("$f"); done < <(find "$debs_dir" -maxdepth 1 -name '*.deb' -type f -print0 | LC_ALL=C sort -z)
  if [ ${#debs[@]} -eq 0 ]; then
    echo "tools/build-image.sh: --packages $debs_dir: no .deb file in it (apt-get download NAME puts one there)" >&2
    exit 2
  fi
  for f in "${debs[@]}"; do
    case "$(basename "$f")" in *[[:space:]]*) echo "tools/build-image.sh: $f: rename it without spaces" >&2; exit 2 ;; esac
    dpkg-deb -f "$f" Package Version >/dev/null 2>&1 || { echo "tools/build-image.sh: $f is not a .deb package" >&2; exit 2; }
  done
  key=$(cd "$debs_dir" && for f in "${debs[@]}"; do sha256sum -- "$(basename "$f")"; done | sha256sum | cut -c1-16)
  image=$images/debian12-pkg-$key
fi
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
# The user's own files by path: apt installs them over Debian's versions.
for f in "${debs[@]}"; do packages+=",$f"; done
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
for f in "${debs[@]}"; do
  printf '%s %s %s %s\n' "$(dpkg-deb -f "$f" Package)" "$(dpkg-deb -f "$f" Version)" \
    "$(sha256sum -- "$f" | cut -d' ' -f1)" "$(basename "$f")"
done > "$image.new/debs"
rm -rf "$image"
mv "$image.new" "$image"
echo "tools/build-image.sh: image ready in $(( $(date +%s) - start )) s: $image ($(du -sh "$image/rootfs" | cut -f1))"
