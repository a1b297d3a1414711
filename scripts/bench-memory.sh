#!/usr/bin/env bash
# The memory benchmark of issue 29 (not a test): pipelines/nightly.yml over generated schools of
# 1,200 and 4,800 students (scripts/make-shard-corpus.py), and the merge of 4 shards of the
# larger one, all in one run with the same release build. Per run: wall time, seconds per 1,000
# students (time must stay linear), and the peak memory of the whole process tree (the run and
# its inspection workers), both as summed RSS (shared library pages counted in every process:
# an upper bound) and as summed PSS (shared pages divided among the processes: what the tree
# really occupies). Each size is also run again as the next night (ledger present, one upload
# changed). Target: under 150 MB for every run, whatever the school's size.
#
#   scripts/bench-memory.sh [--students "1200 4800"] [--previous BIN]
#
# --previous BIN also measures another build (the one before a change) on the same corpora and
# checks that both wrote the same report.json, rejections.csv, report.html and notices.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/release.sh
source scripts/release.sh
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
sizes="1200 4800"
previous=""
while [ $# -gt 0 ]; do
  case "$1" in
    --students) sizes="$2"; shift 2 ;;
    --previous) previous="$2"; shift 2 ;;
    *) echo "usage: scripts/bench-memory.sh [--students \"1200 4800\"] [--previous BIN]" >&2; exit 64 ;;
  esac
done
swift build "${release_build[@]}" --product portfolio >/dev/null
bin="$(swift build "${release_build[@]}" --show-bin-path)/portfolio"
work="$(mktemp -d /tmp/portfolio-bench-memory-XXXXXX)"
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
# One row: the run timed alone (median of 3: sampling /proc slows a run), then its peak. A first
# night starts from an empty output folder. The next night is the run a school makes every night:
# its ledger and outputs from the night before, one upload changed since (its mtime touched: read
# again, every student judged again); it holds the ledger's memory of every file, which the first
# night does not.
measure() {  # label binary output drop [next]: with "next", the output folder holds the night before
  local label="$1" binary="$2" out="$3" drop="$4" next="${5:-}" changed="" start end peaks seconds times=()
  if [ -n "$next" ]; then
    changed="$drop/$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["files"][0]["path"])' "$out/report.json")"
    rm -rf "$out.night-before" && cp -a "$out" "$out.night-before"
  fi
  prepare() {
    rm -rf "$out"
    if [ -n "$next" ]; then cp -a "$out.night-before" "$out" && touch "$changed"; fi
  }
  for _ in 1 2 3; do
    prepare
    start=$(date +%s.%N)
    "$binary" run pipelines/nightly.yml --drop "$drop" --output "$out" --jobs 2 >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  prepare
  peaks=$(python3 scripts/tree-peak.py --both "$binary" run pipelines/nightly.yml --drop "$drop" --output "$out" --jobs 2)
  rm -rf "$out.night-before"
  seconds=$(median3 "${times[@]}")
  printf '%-34s %8.1f %14.2f %10s %10s\n' "$label" "$seconds" "$(echo "$seconds * 1000 / $students" | bc -l)" ${peaks}
}
printf '%-34s %8s %14s %10s %10s\n' "nightly run" "seconds" "s/1000 pupils" "RSS MB" "PSS MB"
last=""
for students in $sizes; do
  corpus="/tmp/portfolio-memory-$students"
  [ -d "$corpus/drop" ] || python3 scripts/make-shard-corpus.py --out "$corpus" --students "$students" >/dev/null
  measure "this build, $students students" "$bin" "$work/new-$students" "$corpus/drop"
  if [ -n "$previous" ]; then
    measure "previous build, $students students" "$previous" "$work/old-$students" "$corpus/drop"
    for file in report.json rejections.csv report.html; do
      cmp -s "$work/old-$students/$file" "$work/new-$students/$file" || echo "  DIFFERENT: $file"
    done
    diff -rq "$work/old-$students/notices" "$work/new-$students/notices" >/dev/null || echo "  DIFFERENT: notices/"
  fi
  measure "  next night, one upload changed" "$bin" "$work/new-$students" "$corpus/drop" next
  if [ -n "$previous" ]; then
    measure "  previous build, next night" "$previous" "$work/old-$students" "$corpus/drop" next
    for file in report.json rejections.csv report.html; do
      cmp -s "$work/old-$students/$file" "$work/new-$students/$file" || echo "  DIFFERENT after the rerun: $file"
    done
  fi
  last="$students"
done
# The merge of 4 shards of the largest school.
corpus="/tmp/portfolio-memory-$last"
for index in 0 1 2 3; do
  "$bin" run pipelines/nightly.yml --drop "$corpus/drop" --output "$work/shards/$index" --shard "$index/4" --jobs 2 \
    >/dev/null 2>&1 || true
done
times=()
for _ in 1 2 3; do
  rm -rf "$work/merged-timed"
  start=$(date +%s.%N)
  "$bin" merge "$work"/shards/0 "$work"/shards/1 "$work"/shards/2 "$work"/shards/3 --out "$work/merged-timed" \
    >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
peaks=$(python3 scripts/tree-peak.py --both "$bin" merge "$work"/shards/0 "$work"/shards/1 "$work"/shards/2 \
  "$work"/shards/3 --out "$work/merged")
seconds=$(median3 "${times[@]}")
printf '%-34s %8.1f %14.2f %10s %10s\n' "merge of 4 shards" "$seconds" "$(echo "$seconds * 1000 / $last" | bc -l)" ${peaks}
for file in report.json rejections.csv report.html; do
  cmp -s "$work/merged/$file" "$work/new-$last/$file" || echo "  merged $file differs from the single run's"
done
