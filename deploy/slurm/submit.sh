#!/usr/bin/env bash
# Submits a sharded portfolio run to Slurm: a job array of N shards, then the merge with
# --dependency=afterany (never afterok: a cancelled merge would look like success to sbatch --wait).
#
#   deploy/slurm/submit.sh --shards N --pipeline FILE --drop DIR --out DIR [--bin PATH] [--wait] [-- SBATCH-OPTIONS…]
#
# Writes DIR/shards/{0..N-1}/ (each with its ledger, packages and shard.json), DIR/merged/ (the
# outputs of one whole run), DIR/merged.status (the merge's exit status) and DIR/logs/. Prints
# the two job ids. With --wait it returns when the merge ends: 0 when the run is complete (with or
# without rejected files), non-zero when a shard or the merge failed (see DIR/logs/merge.out).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shards="" pipeline="" drop="" out="" bin="${PORTFOLIO_BIN:-portfolio}" wait=0 extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards="$2"; shift 2 ;;
    --pipeline) pipeline="$2"; shift 2 ;;
    --drop) drop="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --wait) wait=1; shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 64 ;;
  esac
done
if ! [[ "$shards" =~ ^[0-9]+$ ]] || [ "$shards" -lt 1 ] || [ -z "$pipeline" ] || [ -z "$drop" ] || [ -z "$out" ]; then
  echo "usage: $0 --shards N --pipeline FILE --drop DIR --out DIR [--bin PATH] [--wait] [-- SBATCH-OPTIONS…]" >&2
  exit 64
fi
absolute() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
mkdir -p "$out/logs" "$out/shards"
bin="$(command -v "$bin" || true)"
[ -x "$bin" ] || { echo "no portfolio binary (give --bin PATH)" >&2; exit 64; }
export PORTFOLIO_BIN="$(absolute "$bin")" PORTFOLIO_PIPELINE="$(absolute "$pipeline")"
export PORTFOLIO_DROP="$(absolute "$drop")" PORTFOLIO_OUT="$(absolute "$out")" PORTFOLIO_SHARDS="$shards"
rm -f "$PORTFOLIO_OUT/merged.status"
array=$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" --output="$PORTFOLIO_OUT/logs/shard-%a.out" \
  "${extra[@]}" "$here/portfolio-shard.sbatch")
array="${array%%;*}"
echo "shards: job array $array (0-$((shards - 1)))"
merge_options=(--export=ALL --dependency="afterany:$array" --output="$PORTFOLIO_OUT/logs/merge.out" "${extra[@]}")
if [ "$wait" = 1 ]; then
  echo "merge: submitted after $array; waiting"
  sbatch --wait "${merge_options[@]}" "$here/portfolio-merge.sbatch"
else
  merge=$(sbatch --parsable "${merge_options[@]}" "$here/portfolio-merge.sbatch")
  echo "merge: job ${merge%%;*} (after $array)"
fi
