#!/usr/bin/env bash
# Installs every Debian package pgha-chaos needs (build, tests, cluster) and
# builds it into build/. Idempotent: a second run installs nothing and
# rebuilds only what changed. Debian 12, as root.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "tools/setup.sh: must run as root (it installs Debian packages); as another user: sudo $0" >&2
  exit 2
fi

PACKAGES=(
  # build
  g++ cmake make pkg-config
  libboost-dev libboost-filesystem-dev libpq-dev nlohmann-json3-dev libyaml-cpp-dev libfmt-dev
  libcli11-dev libcpp-httplib-dev libgtest-dev libbenchmark-dev libssl-dev
  # the cluster (keepalived and PgBouncer for the seed topologies)
  postgresql-15 postgresql-client-15 patroni etcd-server etcd-client haproxy keepalived pgbouncer
  # the machine: namespaces, links, rules, user switching
  iproute2 iptables util-linux procps
  # real hosts: system containers (their image is built below), ssh, the Ansible playbook in vagrant/
  systemd-container mmdebstrap openssh-client ansible ansible-lint
  # report checks (JUnit schema and reader; the HTML report in a real browser)
  libxml2-utils python3-junitparser chromium
  # code checks (tools/check_format.sh, tools/check_structure.py), fuzzing (tools/fuzz.sh)
  clang-format python3 clang llvm-14 libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "tools/setup.sh: installing ${missing[*]}"
  # Packages must not create or start anything of their own: no default
  # PostgreSQL cluster, and no etcd/haproxy/postgresql/keepalived/pgbouncer
  # service started during the install (pgha-chaos starts its own, inside
  # namespaces).
  mkdir -p /etc/postgresql-common
  conf=/etc/postgresql-common/createcluster.conf
  if [ -f "$conf" ] && grep -q '^[# ]*create_main_cluster' "$conf"; then
    sed -i 's/^[# ]*create_main_cluster.*/create_main_cluster = false/' "$conf"
  else
    echo "create_main_cluster = false" >> "$conf"
  fi
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    made_policy=1
  fi
  trap '[ "$made_policy" = 1 ] && rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  [ "$made_policy" = 1 ] && rm -f "$policy"
  made_policy=0
fi

echo "tools/setup.sh: building in build/"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" 2>&1 | grep -Ev '^\[ *[0-9]+%\]|^(Consolidate|Scanning|Built target|Checking)' || true
test -x build/pgha-chaos

# The containers provider's Debian 12 image (once; rebuilt when fixtures/image/packages.txt changes).
tools/build-image.sh
echo "tools/setup.sh: ready: build/pgha-chaos"
