#!/usr/bin/env bash
# The scaling benchmark (not a test): pipelines/national.yml over one generated corpus, unsharded
# (no Slurm) and as 1, 2 and 4 shards + merge on a real one-node Slurm, all in one run.
#
#   scripts/bench-shards.sh [--students 1200]
#
# Reports per configuration: wall time from submission to the merge's end, the sum of the shard
# times against the unsharded time (the overhead of splitting), the merge time against the number
# of students and findings, and the peak memory of each shard; then the measured costs per student
# and per MB the README's extrapolation uses. Release build; SOURCE_DATE_EPOCH fixed; the merged
# outputs are checked to equal the unsharded run's.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/release.sh
source scripts/release.sh
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
students=1200
[ "${1:-}" = "--students" ] && students="$2"
swift build "${release_build[@]}" --product portfolio >/dev/null
bin="$(swift build "${release_build[@]}" --show-bin-path)/portfolio"
work="$(mktemp -d /tmp/portfolio-bench-shards-XXXXXX)"
cluster="$work/cluster"
trap 'deploy/slurm/local-cluster.sh stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
python3 scripts/make-shard-corpus.py --out "$work/corpus" --students "$students"
drop="$work/corpus/drop"
files=$(find "$drop/uploads" -type f ! -name item.json | wc -l)
mb=$(du -sm --apparent-size "$drop" | cut -f1)
export SOURCE_DATE_EPOCH=1700000000
# Every portfolio process is timed: elapsed, user+system CPU and peak memory, one file per process.
cat > "$work/timed" <<EOF
#!/usr/bin/env bash
exec /usr/bin/time -f "%e %U %S %M" -o "\$PORTFOLIO_OUT/logs/time-\${SLURM_ARRAY_TASK_ID:-merge}" "$bin" "\$@"
EOF
chmod +x "$work/timed"
deploy/slurm/local-cluster.sh start "$cluster" >/dev/null
export SLURM_CONF="$cluster/slurm.conf"

echo "corpus: $students students, $files files, $mb MB; $(nproc) cores; release build"
"$bin" run pipelines/national.yml --drop "$drop" --output "$work/warm" >/dev/null 2>&1 || true  # page cache warm
start=$(date +%s.%N)
/usr/bin/time -f "%e %U %S %M" -o "$work/single.time" "$bin" run pipelines/national.yml --drop "$drop" \
  --output "$work/single" >/dev/null 2>&1 || true
# (time writes "Command exited with non-zero status 1" first when files were rejected: take the last line)
read -r single_wall single_user single_sys single_mem < <(tail -1 "$work/single.time")
findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$work/single/report.json")
single_cpu=$(echo "$single_user + $single_sys" | bc)
printf 'unsharded (no Slurm): %.2f s wall, %.2f s CPU, peak %d MB; %d findings\n' \
  "$single_wall" "$single_cpu" "$((single_mem / 1024))" "$findings"
printf '%-7s %9s %14s %10s %9s %16s %s\n' shards "wall s" "sum shards s" "overhead" "merge s" "merge µs/finding" "peak MB per shard"
for shards in 1 2 4; do
  out="$work/s$shards"
  start=$(date +%s.%N)
  # 1 CPU per task: on 2 cores two shards run at once (each still reads with 2 workers).
  PORTFOLIO_BIN="$work/timed" deploy/slurm/submit.sh --shards "$shards" --pipeline pipelines/national.yml \
    --drop "$drop" --out "$out" --bin "$work/timed" --wait -- --cpus-per-task=1 >/dev/null 2>&1 || true
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  sum=0 peaks=""
  for ((i = 0; i < shards; i++)); do
    read -r elapsed _ _ mem < <(tail -1 "$out/logs/time-$i")
    sum=$(echo "$sum + $elapsed" | bc)
    peaks+="$((mem / 1024)) "
  done
  read -r merge_wall _ _ merge_mem < <(tail -1 "$out/logs/time-merge")
  for name in report.json rejections.csv report.html packages.csv; do
    cmp -s "$work/single/$name" "$out/merged/$name" || echo "  WARNING: merged $name differs from the unsharded run's"
  done
  printf '%-7s %9.2f %14.2f %9.2fx %9.2f %16.1f %s(merge %d MB)\n' "$shards" "$wall" "$sum" \
    "$(echo "$sum / $single_wall" | bc -l)" "$merge_wall" "$(echo "$merge_wall * 1000000 / $findings" | bc -l)" \
    "$peaks" "$((merge_mem / 1024))"
done
printf 'cost: %.2f ms CPU per student, %.2f ms CPU per MB (unsharded run, this corpus: %.2f MB and %.1f files per student)\n' \
  "$(echo "$single_cpu * 1000 / $students" | bc -l)" "$(echo "$single_cpu * 1000 / $mb" | bc -l)" \
  "$(echo "$mb / $students" | bc -l)" "$(echo "$files / $students" | bc -l)"
