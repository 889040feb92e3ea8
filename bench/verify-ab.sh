#!/usr/bin/env bash
# Before/after of `lgsp edxml verify` on the packages of the last `bench/run.sh` (bench/out), the CLI of
# BASE (a commit, built apart) and the current one (bench/out/bin) alternating with xmlsec1, ROUNDS rounds
# (default 5): medians of wall, CPU (user + system) and peak memory per whole process. See bench/README.md.
#   bench/verify-ab.sh BASE            e.g. bench/verify-ab.sh main
#   BASE_BIN=DIR bench/verify-ab.sh    an already published CLI instead of building BASE
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out
[[ -x $OUT/bin/lgsp && -f $OUT/large.signed.edxml ]] || { echo "run bench/run.sh first (it publishes the CLI and makes the packages)" >&2; exit 1; }
if [[ -z ${BASE_BIN:-} ]]; then
  BASE=${1:?usage: bench/verify-ab.sh BASE}
  DIR=$(mktemp -d)
  git worktree add --detach "$DIR/src" "$BASE" >&2
  RID=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
  dotnet publish "$DIR/src/src/Lgsp.Cli" -c Release -r "$RID" -o "$DIR/bin" -v q --nologo >/dev/null
  git worktree remove --force "$DIR/src" >&2
  BASE_BIN=$DIR/bin
fi
PKI=$OUT/pki
ROUNDS=${ROUNDS:-5}
declare -A rows
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds, alternating"
echo
for size in small large; do
  f=$OUT/$size.signed.edxml
  for round in $(seq "$ROUNDS"); do
    for side in before after xmlsec1; do
      case $side in
        before) cmd=("$BASE_BIN/lgsp" edxml verify "$f" --trust "$PKI/root.pem" --intermediate "$PKI/intermediate.pem" --crl "$PKI/crl.pem" --crl "$PKI/root-crl.pem") ;;
        after) cmd=("$OUT/bin/lgsp" edxml verify "$f" --trust "$PKI/root.pem" --intermediate "$PKI/intermediate.pem" --crl "$PKI/crl.pem" --crl "$PKI/root-crl.pem") ;;
        xmlsec1) cmd=(xmlsec1 --verify --trusted-pem "$PKI/root.pem" --untrusted-pem "$PKI/intermediate.pem" "$f") ;;
      esac
      rows[$size.$side]+="$(/usr/bin/time -f '%e %U %S %M' "${cmd[@]}" 2>&1 >/dev/null | tail -1)"$'\n'
    done
  done
done
median() { sort -g | sed -n "$(( (ROUNDS + 1) / 2 ))p"; }
echo "| package | command | wall (median) | CPU, user + system (median) | peak memory (median) |"
echo "|---|---|---|---|---|"
for size in small large; do
  for side in before after xmlsec1; do
    data=${rows[$size.$side]}
    wall=$(awk 'NF {print $1}' <<<"$data" | median)
    cpu=$(awk 'NF {printf "%.2f\n", $2 + $3}' <<<"$data" | median)
    mem=$(awk 'NF {print int($4 / 1024)}' <<<"$data" | median)
    printf '| %s (%s bytes) | %s | %s s | %s s | %s MiB |\n' "$size" "$(stat -c %s "$OUT/$size.signed.edxml")" "$side" "$wall" "$cpu" "$mem"
  done
done
