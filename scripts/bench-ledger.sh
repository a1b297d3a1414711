#!/usr/bin/env bash
# The ledger's promise: a second nightly run over an unchanged drop reads no file contents.
# Times a first and a second `portfolio run pipelines/nightly.yml` over 10,000 files (release
# build, same run, same machine). Target: the second run under 5 % of the first.
#
#   scripts/bench-ledger.sh [corpus-dir]    default: generates /tmp/portfolio-ledger-bench
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/release.sh
source scripts/release.sh
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
corpus="${1:-/tmp/portfolio-ledger-bench}"
if [ ! -d "$corpus/drop" ]; then
  python3 scripts/make-samples.py corpus --out "$corpus" --students 400 --files-per-student 25 --seed 11
fi
swift build "${release_build[@]}" --product portfolio >/dev/null 2>&1
bin="$(swift build "${release_build[@]}" --show-bin-path)/portfolio"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
files=$(find "$corpus/drop/uploads" -type f ! -name item.json | wc -l)
bytes=$(du -sb "$corpus/drop/uploads" | cut -f1)
sync
timed() {
  local start end
  start=$(date +%s.%N)
  SOURCE_DATE_EPOCH=1700000000 "$bin" run pipelines/nightly.yml --drop "$corpus/drop" --output "$out/nightly" >/dev/null 2>"$out/log" || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
first=$(timed)
second=$(timed)
if grep -q 'run skipped' "$out/log"; then
  read_second="0: drop unchanged by stat, run skipped"
else
  read_second=$(grep '"stage":"validate"' "$out/log" | sed 's/.*"filesRead":"\([0-9]*\)".*/\1/' || echo "?")
fi
# Baseline in the same run: reading every byte once (cat), and hashing it (sha256sum, 2 processes).
start=$(date +%s.%N); find "$corpus/drop/uploads" -type f ! -name item.json -print0 | xargs -0 cat > /dev/null; end=$(date +%s.%N)
cat_s=$(echo "$end - $start" | bc)
start=$(date +%s.%N); find "$corpus/drop/uploads" -type f ! -name item.json -print0 | xargs -0 -P 2 -n 500 sha256sum > /dev/null; end=$(date +%s.%N)
sha_s=$(echo "$end - $start" | bc)
printf 'corpus: %s files, %s MB\n' "$files" "$((bytes / 1048576))"
printf '%-40s %8.3f s\n' "first nightly run (reads every file)" "$first"
printf '%-40s %8.3f s   (files read: %s)\n' "second run, nothing changed (ledger)" "$second" "$read_second"
printf '%-40s %8.3f s\n' "baseline: cat of every file" "$cat_s"
printf '%-40s %8.3f s\n' "baseline: sha256sum, 2 processes" "$sha_s"
ratio=$(echo "scale=4; $second / $first * 100" | bc)
printf 'second / first: %s %%  (target < 5 %%)\n' "$ratio"
awk -v r="$ratio" 'BEGIN {exit !(r < 5)}'
