#!/usr/bin/env bash
# The hub's CPU outside the GC, by counts that do not depend on the machine's load (bench/README.md,
# "Hub CPU outside the GC"). Runs the accept bench at 2 clients (bench/Lgsp.Bench, already built by
# bench/run.sh) and, during its accept run, on the hub process:
#   1. a window without tools: accepts (lines of the hub's log) and the hub's CPU time from /proc;
#   2. a window under dotnet-counters (if COUNTERS_TOOL names it): methods the JIT compiled, and their time;
#   3. a window under strace -f -c: system calls per accept, by call.
# Usage: bench/hubcpu.sh [accept bench options...]   (LGSP_SERVER_ASSEMBLY runs another build of the hub)
# Needs strace and bc; dotnet-counters from `dotnet tool install --tool-path DIR dotnet-counters`.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d /tmp/lgsp-hubcpu-XXXXXX)
BENCH=bench/Lgsp.Bench/bin/Release/net10.0/Lgsp.Bench.dll
PLAIN=${PLAIN:-10} STRACE=${STRACE:-6}
dotnet "$BENCH" --clients 2 --duration 36 --warmup 10 --fanout 1 --fanout-runs 1 --profile-iterations 1 "$@" >"$OUT/report.md" 2>"$OUT/err.log" &
bench=$!
wait_for() { until grep -q "$1" "$OUT/err.log" 2>/dev/null; do kill -0 "$bench" 2>/dev/null || { cat "$OUT/err.log" >&2; exit 1; }; sleep 0.5; done; }
wait_for "Hub process"
hub=$(grep -o "Hub process [0-9]*" "$OUT/err.log" | awk '{print $3}')
wait_for "Built and signed"   # the accept run starts now
sleep 2
log=$(ls -l "/proc/$hub/fd" | grep -o '/[^ ]*logs/lgsp-[^ ]*json' | head -1)
accepts() { grep -c '"Accepted' "$log" || true; }
ticks() { awk '{print $14 + $15}' "/proc/$hub/stat"; }
{
  echo "## Hub CPU outside the GC, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "Hub: ${LGSP_SERVER_ASSEMBLY:-the build output}; bench options: --clients 2 --duration 36 --warmup 10 $*"
  echo
  a0=$(accepts); t0=$(ticks); sleep "$PLAIN"; a1=$(accepts); t1=$(ticks)
  echo "| window | accepts | figure |"
  echo "|---|---|---|"
  echo "| ${PLAIN} s, no tools | $((a1 - a0)) | hub CPU per accept $(echo "scale=2; ($t1 - $t0) * 1000 / $(getconf CLK_TCK) / ($a1 - $a0)" | bc) ms (depends on the load) |"
  if [[ -x ${COUNTERS_TOOL:-} ]]; then
    a0=$(accepts)
    "$COUNTERS_TOOL" collect -p "$hub" --refresh-interval 4 --format csv --counters System.Runtime -o "$OUT/counters.csv" --duration 00:00:09 >/dev/null 2>&1
    a1=$(accepts)
    echo "| 9 s, dotnet-counters | $((a1 - a0)) | methods compiled by the JIT: $(awk -F, '/compiled_methods/ {s += $NF} END {print s}' "$OUT/counters.csv"), $(awk -F, -v n=$((a1 - a0)) '/compiled_methods/ {s += $NF} END {printf "%.2f", s / n}' "$OUT/counters.csv") per accept; JIT time $(awk -F, '/jit.compilation.time/ {s += $NF} END {printf "%.0f ms", s * 1000}' "$OUT/counters.csv") |"
  fi
  a0=$(accepts)
  timeout -s INT "$STRACE" strace -f -c -p "$hub" -o "$OUT/strace.txt" 2>/dev/null || true
  a1=$(accepts); n=$((a1 - a0))
  # The bench sizes its packages from the warm-up's rate; a run that used them up early leaves nothing to count.
  (( n > 0 )) || { echo "No accept during the strace window (the run used up its packages): give --warmup more time."; exit 1; }
  echo "| ${STRACE} s, strace -f -c | $n | system calls per accept: $(awk -v n=$n '$NF != "total" && $4 ~ /^[0-9]+$/ {t += $4} END {printf "%.0f", t / n}' "$OUT/strace.txt") |"
  echo
  echo "System calls per accept, those at 0.5 or more:"
  echo
  echo "| call | per accept |"
  echo "|---|---|"
  awk -v n=$n '$NF != "total" && $4 ~ /^[0-9]+$/ && $4 / n >= 0.5 {printf "| %s | %.1f |\n", $NF, $4 / n}' "$OUT/strace.txt" | sort -t'|' -k3 -n -r
} | tee "$OUT/hubcpu.md"
wait "$bench" || true
echo
grep "hub accepts\|^| accept |" "$OUT/report.md" || true
echo "(files in $OUT)"
