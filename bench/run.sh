#!/usr/bin/env bash
# Benchmarks (see bench/README.md):
#   bench/run.sh [verify]          validate+verify: lgsp against xmlsec1 on the same signed packages.
#                                  Whole-process figures (start-up included), median of RUNS runs, peak
#                                  resident memory. Needs xmlsec1 and GNU time (apt-get install xmlsec1 time).
#   bench/run.sh perf [args...]    every row of the performance table in one run, printed as one table (lgsp figure,
#                                  reference or floor, goal, met?): verify rows, accept at 16 and 2 clients, large
#                                  packages. RUNS (default 3) and PERF_DURATION (default 15 s) shorten or lengthen it.
#   bench/run.sh large [args...]   one ~50 MB SOAP send and 8 at once: time, hub RSS from /proc, memory budget
#                                  (args: --attachment-bytes 38797312 --concurrent 8 --hub-setting KEY=VALUE).
#   bench/run.sh accept [args...]  the hub's accept rate against the floor of plain durable inserts, and a
#                                  fan-out (bench/Lgsp.Bench; args such as --clients 16 --duration 30).
#                                  Needs the PostgreSQL server programs (apt-get install postgresql). --gc-events adds the
#                                  hub's collections per 1 000 accepts and its large objects per accept, by type.
#   bench/run.sh steps [args...]   the accept path's CPU steps in process, no hub: mean time and bytes allocated per
#                                  ~100 KB package, receipt signing with an RSA-2048 and an ECDSA P-256 key (args: --iterations 300);
#                                  of the bytes, those on the large-object heap (and by type).
#   bench/run.sh hubcpu [args...]  the hub's CPU outside the GC at 2 clients: system calls per accept (strace), methods the
#                                  JIT compiled (COUNTERS_TOOL=path of dotnet-counters), CPU per accept (bench/hubcpu.sh).
#   bench/run.sh fourhop [args...] end-to-end latency of a document across four hubs (real processes), p50/p99
#                                  (args: --sends 30 --poll-ms 500).
#   bench/run.sh instances [args...] the accept rate with 1, 2 and 3 hub instances on one database, the clients
#                                  spread over them (args: --instances 3 --clients 12 --duration 20 --warmup 6).
#   bench/run.sh forward [args...] forwarding throughput from a child hub to its parent (args: --documents 300
#                                  --clients 4 --workers 10).
#   bench/run.sh hubfanout [args...] documents to many recipients behind the parent: uploads and time, one upload
#                                  per next hub against one per recipient (args: --documents 10 --recipients 50
#                                  --group 200; --group 1 is one recipient per upload).
#   bench/run.sh report [DOCS] [AGENCIES] [YEARS]  a one-year report by agency and the XLSX of every breakdown on a
#                                  generated store (default 5 000 000 documents, 300 agencies, 3 years; kept for the next run).
#   bench/run.sh rollups [args...] the accept run with the report rollup refresh on (every INTERVAL, default 00:00:05) and off,
#                                  alternating, PAIRS pairs (default 2) of DURATION-second runs (default 20), then both sides compared.
#   bench/run.sh serve [args...]  serving packages: GetDocument/downloadEdoc latency of small packages (p50/p95) and
#                                  a large package's pull time and the hub's peak memory growth (args: --small 200
#                                  --large-mb 50); BASE=<commit> runs the same against that commit's server first.
#   bench/run.sh console [DOCS] [DELIVERIES]  the console's search, document page and overview on a generated
#                                  store (default 2 000 000 documents, 6 000 000 deliveries), p50/p95 of 200 requests.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out
TARGET=${1:-verify}
[[ $# -gt 0 ]] && shift

# HUB_READY_TO_RUN=1: the modes that start a hub start it as deployed, published for this machine's runtime and so
# compiled ahead of time (docs/operations.md, "Runtime settings"), instead of from the build output.
if [[ ${HUB_READY_TO_RUN:-0} == 1 && -z ${LGSP_SERVER_ASSEMBLY:-} ]]; then
  dotnet publish src/Lgsp.Server -c Release -r "$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')" -o "$OUT/hub-r2r" -v q --nologo >&2
  export LGSP_SERVER_ASSEMBLY="$PWD/$OUT/hub-r2r/Lgsp.Server.dll"
fi

if [[ $TARGET == accept ]]; then
  mkdir -p "$OUT"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll "$@" | tee "$OUT/accept.md"
  exit "${PIPESTATUS[0]}"
fi

if [[ $TARGET == steps ]]; then
  # The accept path's steps in process (no hub, no database): mean time and bytes allocated per package.
  mkdir -p "$OUT"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll steps "$@" | tee "$OUT/steps.md"
  exit "${PIPESTATUS[0]}"
fi

if [[ $TARGET == hubcpu ]]; then
  # Counts that do not depend on the load, taken on the hub process during the accept run (bench/hubcpu.sh).
  mkdir -p "$OUT"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  bench/hubcpu.sh "$@" | tee "$OUT/hubcpu.md"
  exit "${PIPESTATUS[0]}"
fi

if [[ $TARGET == console ]]; then
  mkdir -p "$OUT"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll console "$@" | tee "$OUT/console.md"
  exit "${PIPESTATUS[0]}"
fi

if [[ $TARGET == report ]]; then
  mkdir -p "$OUT"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll report "$@" | tee "$OUT/report.md"
  exit "${PIPESTATUS[0]}"
fi

if [[ $TARGET == rollups ]]; then
  # Same machine, same settings, alternating: the refresh every 5 s (twelve times the default) against none.
  mkdir -p "$OUT"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  for pair in $(seq "${PAIRS:-2}"); do
    for interval in "${INTERVAL:-00:00:05}" 00:00:00; do
      echo "### Pair $pair, Hub:Reports:RefreshInterval=$interval (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
      dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll --duration "${DURATION:-20}" --warmup 6 --fanout 20 --fanout-runs 1 --profile-iterations 1 \
        --hub-setting "Hub:Reports:RefreshInterval=$interval" "$@" | sed -n '/^### Accept vs/,/^Stored per/p'
    done
  done | tee "$OUT/rollups.md"
  status=${PIPESTATUS[0]}
  # Both sides over all pairs: accepts per second and CPU per accept, and what the refresh costs in percent.
  awk -F'|' -v interval="${INTERVAL:-00:00:05}" '
    /^### Pair/ { side = ($0 ~ /=00:00:00/) ? "off" : "on" }
    /^\| hub accepts/ { rate[side] += $3; runs[side]++ }
    /^\| accept \|/ { hub[side] += $3; pg[side] += $4 }
    END {
      if (!runs["on"] || !runs["off"]) { print "No complete pair: no comparison."; exit }
      for (s in runs) { rate[s] /= runs[s]; hub[s] /= runs[s]; pg[s] /= runs[s] }
      print ""
      print "### Rollup refresh on vs off (" runs["on"] " pairs)"
      print ""
      print "| refresh | accepts/s (mean) | hub CPU per accept | PostgreSQL CPU per accept |"
      print "|---|---|---|---|"
      printf "| every " interval " | %.1f | %.2f ms | %.2f ms |\n", rate["on"], hub["on"], pg["on"]
      printf "| off | %.1f | %.2f ms | %.2f ms |\n", rate["off"], hub["off"], pg["off"]
      print ""
      printf "**Refresh cost: %+.1f %% accept throughput, %+.1f %% hub and PostgreSQL CPU per accept** (goal: less than 5 %% of throughput).\n", \
        (rate["on"] - rate["off"]) / rate["off"] * 100, ((hub["on"] + pg["on"]) - (hub["off"] + pg["off"])) / (hub["off"] + pg["off"]) * 100
    }' "$OUT/rollups.md" | tee -a "$OUT/rollups.md"
  exit "$status"
fi

if [[ $TARGET == serve ]]; then
  mkdir -p "$OUT"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  {
    if [[ -n ${BASE:-} ]]; then
      # The other side: the server as it was at BASE, built apart, driven by the same bench.
      BASE_DIR=$(mktemp -d)
      git worktree add --detach "$BASE_DIR/src" "$BASE" >&2
      dotnet build "$BASE_DIR/src/src/Lgsp.Server" -c Release -v q --nologo >&2
      echo "### Before ($BASE)"
      LGSP_SERVER_ASSEMBLY="$BASE_DIR/src/src/Lgsp.Server/bin/Release/net10.0/Lgsp.Server.dll" \
        dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll serve "$@"
      git worktree remove --force "$BASE_DIR/src" >&2
      echo "### After ($(git rev-parse --short HEAD))"
    fi
    dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll serve "$@"
  } | tee "$OUT/serve.md"
  exit "${PIPESTATUS[0]}"
fi

if [[ $TARGET == instances ]]; then
  mkdir -p "$OUT"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll instances "$@" | tee "$OUT/instances.md"
  exit "${PIPESTATUS[0]}"
fi

if [[ $TARGET == fourhop || $TARGET == forward || $TARGET == large || $TARGET == hubfanout ]]; then
  mkdir -p "$OUT"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll "$TARGET" "$@" | tee "$OUT/$TARGET.md"
  exit "${PIPESTATUS[0]}"
fi

if [[ $TARGET == perf ]]; then
  # Every row of the performance table in one run (bench/README.md, "Every row at once"): the verify
  # timings, the accept bench at 16 clients (ratio to the floor, CPU per accept, fan-out, in-process
  # verify step), again at 2 clients (latency), and the large-package bench (hub memory from /proc).
  export RUNS=${RUNS:-3}
  bench/run.sh verify >&2
  cp "$OUT/results.md" "$OUT/perf-verify.md"
  dotnet build bench/Lgsp.Bench -c Release -v q --nologo >&2
  BENCH=(dotnet bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll)
  "${BENCH[@]}" --duration "${PERF_DURATION:-15}" --warmup 6 --profile-iterations 50 "$@" | tee "$OUT/perf-accept16.md" >&2
  "${BENCH[@]}" --clients 2 --duration "${PERF_DURATION:-15}" --warmup 6 --pool-headroom 4 --fanout 1 --fanout-runs 1 --profile-iterations 1 "$@" | tee "$OUT/perf-accept2.md" >&2
  "${BENCH[@]}" large | tee "$OUT/perf-large.md" >&2
  bench/perf-table.sh "$OUT" | tee "$OUT/perf.md"
  exit "${PIPESTATUS[0]}"
fi

[[ $TARGET == verify ]] || { echo "usage: bench/run.sh [verify | perf [accept args...] | large [args...] | accept [args...] | report [DOCS] [AGENCIES] [YEARS] | rollups [args...] | instances [args...] | fourhop [args...] | forward [args...] | hubfanout [args...] | serve [args...] | console [DOCS] [DELIVERIES]]" >&2; exit 2; }
RUNS=${RUNS:-5}
rm -rf "$OUT" && mkdir -p "$OUT"

# Published for this machine's runtime so the command is compiled ahead of time (ReadyToRun), as deployed.
RID=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
dotnet publish src/Lgsp.Cli -c Release -r "$RID" -o "$OUT/bin" -v q --nologo >/dev/null
LGSP=("$OUT/bin/lgsp")
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "GNU time is required: apt-get install time" >&2; exit 1; }
command -v xmlsec1 >/dev/null || { echo "xmlsec1 is required: apt-get install xmlsec1" >&2; exit 1; }

"${LGSP[@]}" pki demo --out "$OUT/pki" >/dev/null
PKI=$OUT/pki

make_package() { # name attachment-bytes
  head -c "$2" /dev/urandom > "$OUT/$1.bin"
  "${LGSP[@]}" edxml new --from 000.00.01.H56 --to 000.00.00.H56 --number 1 --notation BENCH \
    --subject "Benchmark $1" --attach "$OUT/$1.bin" --out "$OUT/$1.edxml"
  "${LGSP[@]}" edxml sign "$OUT/$1.edxml" --cert "$PKI/org-000.00.01.H56.pem" --key "$PKI/org-000.00.01.H56.key.pem" --chain "$PKI/intermediate.pem" \
    --out "$OUT/$1.signed.edxml"
  rm "$OUT/$1.bin" "$OUT/$1.edxml"
}

# about 100 KB and 50 MB once base64-encoded into the package
make_package small 75000
make_package large $((37 * 1024 * 1024))

measure() { # label command...
  local label=$1; shift
  local walls=() cpus=() mems=()
  "$@" >/dev/null 2>&1 || { echo "$label: command failed: $*" >&2; "$@"; exit 1; }  # warm-up, and it must succeed
  for _ in $(seq "$RUNS"); do
    local line
    line=$($TIME -f '%e %U %S %M' "$@" 2>&1 >/dev/null | tail -1)
    read -r w u s m <<<"$line"
    walls+=("$w"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')"); mems+=("$m")
  done
  local wall cpu mem
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  mem=$(printf '%s\n' "${mems[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  printf '| %s | %s s | %s s | %s MiB |\n' "$label" "$wall" "$cpu" "$((mem / 1024))"
}

{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); runs: $RUNS (median); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  for size in small large; do
    f=$OUT/$size.signed.edxml
    echo "### $size package: $(stat -c %s "$f") bytes"
    echo
    echo "| command | wall (median) | CPU, user + system (median) | peak memory (median) |"
    echo "|---|---|---|---|"
    measure "lgsp edxml validate" "${LGSP[@]}" edxml validate "$f"
    measure "lgsp edxml verify" "${LGSP[@]}" edxml verify "$f" --trust "$PKI/root.pem" --intermediate "$PKI/intermediate.pem" --crl "$PKI/crl.pem" --crl "$PKI/root-crl.pem"
    measure "lgsp edxml validate --verify (one process)" "${LGSP[@]}" edxml validate "$f" --verify --trust "$PKI/root.pem" --intermediate "$PKI/intermediate.pem"
    measure "xmlsec1 --verify" xmlsec1 --verify --trusted-pem "$PKI/root.pem" --untrusted-pem "$PKI/intermediate.pem" "$f"
    echo
  done
} | tee "$OUT/results.md"
