#!/usr/bin/env bash
# Times `portfolio validate` against baselines measured in the same run, on the same files,
# caches warm, median of 3: cat (reading), sha256sum and openssl dgst -sha256 (2 processes:
# the hash floor), file --mime-type (libmagic per file).
#
#   scripts/bench.sh [corpus-dir]     default: generates /tmp/portfolio-bench (40 students, 1,000 files)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
corpus="${1:-/tmp/portfolio-bench}"
if [ ! -d "$corpus/drop" ]; then
  python3 scripts/make-samples.py corpus --out "$corpus" --students 40 --files-per-student 25 --seed 7
fi
swift build -c release --product portfolio >/dev/null
bin="$(swift build -c release --show-bin-path)/portfolio"
list="$(mktemp)"
find "$corpus/drop/uploads" -type f ! -name item.json -print0 > "$list"
files=$(tr -cd '\0' < "$list" | wc -c)
bytes=$(xargs -0 stat -c %s < "$list" | awk '{s+=$1} END {print s}')
out="$(mktemp -d)"

median3() {  # runs "$@" three times (after one warm-up), prints the median wall time in seconds
  "$@" >/dev/null 2>&1 || true
  local times=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}
peak() {  # peak resident memory in MB of one run
  { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -F: '/Maximum resident/ {printf "%.0f", $2/1024}'
}

declare -A seconds memory
seconds[cat]=$(median3 sh -c "xargs -0 cat < '$list' > /dev/null")
seconds[sha256sum]=$(median3 sh -c "xargs -0 -P 2 -n 200 sha256sum < '$list'")
seconds[openssl]=$(median3 sh -c "xargs -0 -P 2 -n 200 openssl dgst -sha256 < '$list'")
seconds[file]=$(median3 sh -c "xargs -0 -n 200 file --mime-type < '$list'")
seconds[validate1]=$(median3 "$bin" validate "$corpus/drop" --out "$out" --jobs 1)
seconds[validate2]=$(median3 "$bin" validate "$corpus/drop" --out "$out" --jobs 2)
memory[validate2]=$(peak "$bin" validate "$corpus/drop" --out "$out" --jobs 2)

floor=${seconds[openssl]}
printf '\ncorpus: %s files, %s MB\n\n' "$files" "$(echo "$bytes / 1048576" | bc)"
printf '%-34s %9s %9s %10s %12s\n' "what" "seconds" "files/s" "MB/s" "vs hash floor"
for key in cat sha256sum openssl file validate1 validate2; do
  s=${seconds[$key]}
  case $key in
    cat) label="cat (read every byte)";;
    sha256sum) label="sha256sum, 2 processes";;
    openssl) label="openssl dgst -sha256, 2 proc (floor)";;
    file) label="file --mime-type";;
    validate1) label="portfolio validate --jobs 1";;
    validate2) label="portfolio validate --jobs 2";;
  esac
  printf '%-34s %9.3f %9.0f %10.1f %11.2fx\n' "$label" "$s" "$(echo "$files / $s" | bc -l)" \
    "$(echo "$bytes / 1048576 / $s" | bc -l)" "$(echo "$floor / $s" | bc -l)"
done
printf '\npeak memory, portfolio validate --jobs 2: %s MB\n' "${memory[validate2]}"
printf 'speed-up of 2 jobs over 1: %.2fx\n' "$(echo "${seconds[validate1]} / ${seconds[validate2]}" | bc -l)"
rm -rf "$out" "$list"
