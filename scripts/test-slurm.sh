#!/usr/bin/env bash
# The Slurm test: a real one-node Slurm (deploy/slurm/local-cluster.sh) runs pipelines/national.yml
# as a job array of shards plus an afterany merge (deploy/slurm/submit.sh), over samples/ and over a
# generated drop of 300 students, and the merged outputs must be byte for byte those of one
# unsharded run. Then a shard that fails must make the merge fail, naming it. .ci/run runs this
# after `swift test`; it needs Debian's slurmctld slurmd slurm-client munge and python3.
#
#   scripts/test-slurm.sh [--bin PATH]     (default: the debug build, built if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
bin=""
[ "${1:-}" = "--bin" ] && bin="$2"
if [ -z "$bin" ]; then
  swift build --product portfolio >/dev/null
  bin="$(swift build --show-bin-path)/portfolio"
fi
work="$(mktemp -d /tmp/portfolio-slurm-XXXXXX)"
cluster="$work/cluster"
cleanup() { deploy/slurm/local-cluster.sh stop "$cluster" || true; rm -rf "$work"; }
trap cleanup EXIT
deploy/slurm/local-cluster.sh start "$cluster"
export SLURM_CONF="$cluster/slurm.conf" SOURCE_DATE_EPOCH=1700000000
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The outputs a merge writes, compared with one run's; packages are compared with the shards' own.
compare() {
  local single="$1" run="$2" shards="$3" name count=0
  for name in report.json rejections.csv report.html packages.csv $(cd "$single" && ls notices/*.txt notices/*.html); do
    cmp -s "$single/$name" "$run/merged/$name" || fail "$run: merged $name differs from the single run's"
    count=$((count + 1))
  done
  [ "$(ls "$run/merged/notices" | wc -l)" = "$(ls "$single/notices" | wc -l)" ] || fail "$run: notice count differs"
  mkdir -p "$run/all-packages"
  for ((i = 0; i < shards; i++)); do cp "$run/shards/$i/packages/"* "$run/all-packages/" 2>/dev/null || true; done
  diff -r -q "$single/packages" "$run/all-packages" >/dev/null || fail "$run: the shards' packages differ from the single run's"
  echo "  $count merged files and $(ls "$single/packages" | wc -l) package files equal the single run's"
}

sharded() {  # drop, label, shards
  local drop="$1" label="$2" shards="$3"
  "$bin" run pipelines/national.yml --drop "$drop" --output "$work/$label-single" >/dev/null 2>&1 || true
  [ -f "$work/$label-single/report.json" ] || fail "$label: the single run wrote no report"
  local started=$SECONDS
  deploy/slurm/submit.sh --shards "$shards" --pipeline pipelines/national.yml --drop "$drop" \
    --out "$work/$label" --bin "$bin" --wait > "$work/$label.submit" 2>&1 || fail "$label: submit --wait failed: $(cat "$work/$label.submit")"
  echo "$label: $shards shards + merge on Slurm in $((SECONDS - started)) s (merge status $(cat "$work/$label/merged.status" 2>/dev/null))"
  compare "$work/$label-single" "$work/$label" "$shards"
}

sharded "$PWD/samples/drop" samples 4
python3 scripts/make-shard-corpus.py --out "$work/corpus" --students 300
sharded "$work/corpus/drop" corpus 4

# A failed shard: shard 2's output folder cannot be made (a file is in the way), so that task
# fails; the merge still runs (afterany), refuses, and names the shard.
mkdir -p "$work/broken/shards"
: > "$work/broken/shards/2"
if deploy/slurm/submit.sh --shards 4 --pipeline pipelines/national.yml --drop "$PWD/samples/drop" \
  --out "$work/broken" --bin "$bin" --wait > "$work/broken.submit" 2>&1; then
  fail "a run with a failed shard was reported complete"
fi
grep -q "portfolio merge: $work/broken/shards/2: the shard output folder must be a folder" "$work/broken/logs/merge.out" \
  || fail "the merge did not name the failed shard: $(cat "$work/broken/logs/merge.out")"
[ ! -e "$work/broken/merged/report.json" ] || fail "a merge of an incomplete run wrote report.json"
[ "$(cat "$work/broken/merged.status")" = 64 ] || fail "merge status $(cat "$work/broken/merged.status"), not 64"
echo "broken: shard 2 failed; the merge refused, naming $work/broken/shards/2"

if [ "$failures" -gt 0 ]; then
  echo "slurm test: $failures failures" >&2
  exit 1
fi
echo "slurm test: passed"
