#!/usr/bin/env bash
# The one table of `bench/run.sh perf`, read from the reports that run left in OUT (default bench/out):
# perf-verify.md (bench/run.sh verify), perf-accept16.md and perf-accept2.md (Lgsp.Bench accept runs),
# perf-large.md (Lgsp.Bench large). Rows whose goal the table does not state are reported without a verdict.
set -euo pipefail
OUT=${1:-bench/out}

# The cell COLUMN (1-based, after the leading |) of the first table row starting with LABEL, in a section.
cell() { # file section-pattern label column
  awk -v sec="$2" -v label="$3" -v col="$4" -F'|' '
    $0 ~ sec { on = 1 }
    on && index($0, "| " label " |") == 1 { v = $(col + 1); gsub(/^ +| +$/, "", v); print v; exit }' "$1"
}
num() { sed -E 's/[^0-9.]*([0-9.]+).*/\1/' <<<"$1"; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "yes" : "no" }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

V=$OUT/perf-verify.md
large_bytes=$(sed -nE 's/^### large package: ([0-9]+) bytes/\1/p' "$V")
small_bytes=$(sed -nE 's/^### small package: ([0-9]+) bytes/\1/p' "$V")
lv_wall=$(num "$(cell "$V" '^### large' 'lgsp edxml verify' 2)")
lv_cpu=$(num "$(cell "$V" '^### large' 'lgsp edxml verify' 3)")
lv_mem=$(num "$(cell "$V" '^### large' 'lgsp edxml verify' 4)")
lx_wall=$(num "$(cell "$V" '^### large' 'xmlsec1 --verify' 2)")
lx_cpu=$(num "$(cell "$V" '^### large' 'xmlsec1 --verify' 3)")
sv_wall=$(num "$(cell "$V" '^### small' 'lgsp edxml verify' 2)")
sv_mem=$(num "$(cell "$V" '^### small' 'lgsp edxml verify' 4)")
sv_cpu=$(num "$(cell "$V" '^### small' 'lgsp edxml verify' 3)")
sx_wall=$(num "$(cell "$V" '^### small' 'xmlsec1 --verify' 2)")
sx_cpu=$(num "$(cell "$V" '^### small' 'xmlsec1 --verify' 3)")
large_mib=$(awk -v b="$large_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')

A=$OUT/perf-accept16.md
accept_row=$(grep -m1 '^| hub accepts' "$A" | cut -d'|' -f3)
floor_row=$(grep -m1 '^| floor: INSERT' "$A" | cut -d'|' -f3)
ratio=$(sed -nE 's/.*accepted\/s ÷ floor inserts\/s = ([0-9.]+).*/\1/p' "$A" | head -1)
hub_cpu=$(cell "$A" '^Where the CPU went' 'accept' 2)
pg_cpu=$(cell "$A" '^Where the CPU went' 'accept' 3)
floor_pg=$(cell "$A" '^Where the CPU went' 'floor' 3)
fanout=$(sed -nE 's/.*one at a time: median ([0-9.]+ ms).*/\1/p' "$A" | head -1)
step=$(num "$(cell "$A" '^### Where an accept' 'verify the signature (XMLDSig, chain)' 2)")

A2=$OUT/perf-accept2.md
p50=$(grep -m1 '^| hub accepts' "$A2" | cut -d'|' -f4 | xargs)
p99=$(grep -m1 '^| hub accepts' "$A2" | cut -d'|' -f5 | xargs)
rate2=$(grep -m1 '^| hub accepts' "$A2" | cut -d'|' -f3 | xargs)

L=$OUT/perf-large.md
kv() { sed -nE "s/^$1:.* $2=([^ ]+).*/\1/p" "$L" | head -1; }
one_s=$(kv large-one seconds); one_growth=$(kv large-one growth_mib); one_mb=$(kv large-one package_mb)
m_ok=$(kv large-many accepted); m_busy=$(kv large-many busy); m_other=$(kv large-many other); m_wait=$(kv large-many waited)
m_peak=$(kv large-many peak_mib); m_growth=$(kv large-many growth_mib); m_budget=$(kv large-many budget_mib)

echo "## Every row at once: $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| row | lgsp | reference / floor | goal | met? |"
echo "|---|---|---|---|---|"
echo "| verify $large_bytes bytes (CLI, whole process), wall | $lv_wall s ($(times "$lv_wall" "$lx_wall") x) | xmlsec1 $lx_wall s | <= 1.2 x xmlsec1 | $(le "$(times "$lv_wall" "$lx_wall")" 1.2) |"
echo "| same, CPU (user + system; steadier on a loaded machine) | $lv_cpu s ($(times "$lv_cpu" "$lx_cpu") x) | xmlsec1 $lx_cpu s | <= 1.2 x xmlsec1 | $(le "$(times "$lv_cpu" "$lx_cpu")" 1.2) |"
echo "| same, peak memory | $lv_mem MiB ($(times "$lv_mem" "$large_mib") x the package) | package $large_mib MiB | <= 2 x the package | $(le "$(times "$lv_mem" "$large_mib")" 2) |"
echo "| same, peak memory above the 106 KB verify's (the runtime's own) | $((lv_mem - sv_mem)) MiB ($(times "$((lv_mem - sv_mem))" "$large_mib") x the package) | package $large_mib MiB | <= 2 x the package | $(le "$(times "$((lv_mem - sv_mem))" "$large_mib")" 2) |"
echo "| verify $small_bytes bytes (CLI, whole process), wall | $sv_wall s (CPU $sv_cpu s) | xmlsec1 $sx_wall s (CPU $sx_cpu s) | – (reported) | – |"
echo "| verify ~100 KB, in-process step (accept bench profile) | $step ms | xmlsec1 whole process $sx_wall s | step <= xmlsec1's whole-process time | $(le "$(awk -v s="$step" 'BEGIN { print s / 1000 }')" "$sx_wall") |"
echo "| hub accepting one ${one_mb} MB package over SOAP | $one_s s, hub RSS +$one_growth MiB | – | – (reported) | – |"
echo "| $((m_ok + m_busy + m_other)) concurrent ~50 MB sends | hub peak RSS $m_peak MiB (+$m_growth MiB); $m_ok accepted, $m_wait waited, $m_busy answered 503, $m_other other | budget $m_budget MiB | growth under the budget; beyond it wait or 503 | $([[ $m_other == 0 ]] && le "$m_growth" "$m_budget" || echo no) |"
echo "| accept rate, 16 clients | $(xargs <<<"$accept_row")/s | floor $(xargs <<<"$floor_row") inserts/s | – (ratio reported) | ratio $ratio |"
echo "| hub CPU / PostgreSQL CPU per accept | $hub_cpu / $pg_cpu | floor: PostgreSQL $floor_pg per insert | – (reported) | – |"
echo "| accept latency at 2 clients | p50 $p50, p99 $p99 ($rate2/s) | – | – (reported) | – |"
echo "| 200-recipient fan-out accept latency | median $fanout | – | – (reported) | – |"
