#!/usr/bin/env bash
# Installs the Debian packages pgha-chaos needs and builds it into build/.
#   tools/setup.sh           what running scenarios needs (the main job:
#                            tools/demo.sh): the build, the cluster's
#                            packages, the machine's tools; builds the binary
#   tools/setup.sh --tests   everything the tests need too (tools/test.sh):
#                            system containers, Ansible, the report and code
#                            checks, fuzzing; builds the tests and benchmarks
#                            and the containers provider's image
# Idempotent: a second run installs nothing and rebuilds only what changed.
# Debian 12, as root.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=0
case "${1:-}" in
  --tests) tests=1 ;;
  "") ;;
  *)
    echo "usage: tools/setup.sh [--tests]" >&2
    exit 2
    ;;
esac

if [ "$(id -u)" != 0 ]; then
  echo "tools/setup.sh: must run as root (it installs Debian packages); as another user: sudo $0" >&2
  exit 2
fi

PACKAGES=(
  # build
  g++ cmake ninja-build make pkg-config
  libboost-dev libboost-filesystem-dev libpq-dev nlohmann-json3-dev libyaml-cpp-dev libfmt-dev
  libcli11-dev libcpp-httplib-dev libgtest-dev libbenchmark-dev libssl-dev libnetfilter-queue-dev
  # the cluster (keepalived and PgBouncer for the seed topologies)
  postgresql-15 postgresql-client-15 patroni etcd-server etcd-client haproxy keepalived pgbouncer
  # the machine: namespaces, links, rules, user switching; the ssh provider
  iproute2 iptables util-linux procps openssh-client
  # clock faults: libfaketime preloaded into the services a clock fault targets
  libfaketime
  # durability faults: the durable file system (FUSE) under the hosts' data
  fuse3 libfuse3-dev
)
TEST_PACKAGES=(
  # system containers (their image is built below), the Ansible playbook in vagrant/
  systemd-container mmdebstrap ansible ansible-lint
  # report checks (JUnit schema and reader; the HTML report in a real browser; the CI summary through
  # GitHub's own Markdown parser; SARIF against its JSON schema; the acceptance PDF's pages)
  libxml2-utils python3-junitparser chromium cmark-gfm python3-jsonschema poppler-utils
  # the report benchmark's peak memory (/usr/bin/time)
  time
  # code checks (tools/check_format.sh, tools/check_structure.py); clang: the tests' build, the
  # sanitizer builds and fuzzing (tools/fuzz.sh)
  clang-format python3 clang llvm-14 libclang-rt-14-dev
)
[ "$tests" = 1 ] && PACKAGES+=("${TEST_PACKAGES[@]}")

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

# The SARIF 2.1.0 JSON schema (OASIS) for the lint --sarif test, from the
# npm registry (@microsoft/jest-sarif ships it), pinned by the package's
# SHA-256 and kept out of the repository (tests/schemas/fetched/, ignored).
if [ "$tests" = 1 ]; then
  sarif_schema=tests/schemas/fetched/sarif-2.1.0-rtm.5.json
  if [ ! -s "$sarif_schema" ]; then
    command -v npm >/dev/null || apt-get install -y -qq npm >/dev/null
    npm_dir=$(mktemp -d /tmp/pgha-npm.XXXXXX)
    (cd "$npm_dir" && timeout 120 npm pack --silent --cache "$npm_dir/cache" @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null)
    echo "748e2c3d1a842e7bb258416685c7ea3a0da40005b72267b2052c2856d48ad102  $npm_dir/microsoft-jest-sarif-1.0.0-beta.0.tgz" |
      sha256sum -c --quiet || { rm -rf "$npm_dir"; echo "tools/setup.sh: the SARIF schema's package does not match its hash" >&2; exit 1; }
    mkdir -p "$(dirname "$sarif_schema")"
    tar -xzf "$npm_dir/microsoft-jest-sarif-1.0.0-beta.0.tgz" -O package/lib/schemas/sarif-2.1.0-rtm.5.json > "$sarif_schema.tmp"
    mv "$sarif_schema.tmp" "$sarif_schema"
    rm -rf "$npm_dir"
  fi
fi

# The containers provider's Debian 12 image (once; rebuilt when
# fixtures/image/packages.txt changes), built beside the compiler: mmdebstrap
# waits mostly on downloads and the disk, the compiler on the CPUs.
image_pid=""
image_log=""
if [ "$tests" = 1 ]; then
  image_log=$(mktemp /tmp/pgha-build-image.XXXXXX)
  setsid tools/build-image.sh > "$image_log" 2>&1 &
  image_pid=$!
  # Its own process group: a failed build or Ctrl-C ends mmdebstrap too.
  trap '[ -n "$image_pid" ] && kill -- "-$image_pid" 2>/dev/null; rm -f "$image_log"' EXIT
fi

target=()
[ "$tests" = 1 ] || target=(--target pgha-chaos)
echo "tools/setup.sh: building ${target[1]:-everything} in build/"
start=$(date +%s)
if [ -f build/CMakeCache.txt ]; then
  cmake -S . -B build >/dev/null # an existing build keeps its generator and options
else
  # Ninja compiles a library's files while the libraries it links to are
  # still building (make waits for each), and a unity build of the
  # harness's libraries parses their headers once per 16 files: the whole
  # build in about 290 s of wall time on 2 cores instead of about 440 s.
  # clang when it is installed (--tests installs it for the sanitizer and
  # fuzz builds): the whole build in 183 s instead of 290 s with g++, no
  # warning from either; the main job alone installs only g++.
  compiler=g++
  command -v clang++ >/dev/null && compiler=clang++
  cmake -S . -B build -G Ninja -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_UNITY_BUILD=ON \
    -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 >/dev/null
fi
cmake --build build -j"$(nproc)" "${target[@]}" 2>&1 |
  grep -Ev '^\[ *[0-9]+%\]|^\[[0-9]+/[0-9]+\] |^(Consolidate|Scanning|Built target|Checking)' || true
test -x build/pgha-chaos
echo "tools/setup.sh: built in $(($(date +%s) - start)) s ($(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' build/CMakeCache.txt))"

if [ -n "$image_pid" ]; then
  image_status=0
  wait "$image_pid" || image_status=$?
  image_pid=""
  cat "$image_log"
  [ "$image_status" = 0 ] || { echo "tools/setup.sh: building the containers image failed (exit $image_status)" >&2; exit 1; }
fi
echo "tools/setup.sh: ready: build/pgha-chaos"
