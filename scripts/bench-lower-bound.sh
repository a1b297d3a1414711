#!/usr/bin/env bash
# How close can validation come to the baselines at all? Times, in one run (median of 3), the
# hash floor (`openssl dgst -sha256`, 2 processes), `file --mime-type` (2 processes), a C
# program doing only the work the drop contract asks of every upload (scripts/lower-bound.c:
# read, SHA-256, libmagic, a PNG's image data inflated; 2 processes, twenty batches) — with and
# without the PNG check, and with its uploads hashed two at a time, their SHA-256 rounds
# interleaved (Sources/CSHA256Pair; each digest checked against OpenSSL's in a run of its own
# first) — and `portfolio validate --jobs 2`, each as a ratio to the baseline of its profile (the
# floor for the large profile, `file` for the small one).
#
#   scripts/bench-lower-bound.sh [--small]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/release.sh
source scripts/release.sh
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
profile=large
[ "${1:-}" = "--small" ] && profile=small
corpus="/tmp/portfolio-bench-$profile"
[ -d "$corpus/drop" ] || { echo "no corpus at $corpus: run scripts/bench.sh ${1:-} first" >&2; exit 64; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/lower-bound" scripts/lower-bound.c Sources/CSHA256Pair/sha256_pair.c -ldeflate -lmagic -lcrypto
grep -qw sha_ni /proc/cpuinfo || echo "note: this CPU has no SHA extensions: the paired row hashes one upload at a time" >&2
swift build "${release_build[@]}" --product portfolio >/dev/null 2>&1
bin="$(swift build "${release_build[@]}" --show-bin-path)/portfolio"
find "$corpus/drop/uploads" -type f ! -name item.json -print0 > "$work/files"
# Twenty batches a run: few enough process starts (libmagic loads its database in each), many
# enough that the two processes end together.
batch=$(( $(tr -cd '\0' < "$work/files" | wc -c) / 20 ))
[ "$batch" -lt 50 ] && batch=50
# shellcheck source=scripts/bench-common.sh
source scripts/bench-common.sh
floor=$(median3 sh -c "xargs -0 -P 2 -n 100 openssl dgst -sha256 < '$work/files'")
file2=$(median3 sh -c "xargs -0 -P 2 -n 100 file --mime-type < '$work/files'")
lower=$(median3 sh -c "xargs -0 -P 2 -n $batch '$work/lower-bound' < '$work/files'")
nopng=$(median3 sh -c "NOPNG=1 xargs -0 -P 2 -n $batch '$work/lower-bound' < '$work/files'")
CHECK=1 PAIRS=1 xargs -0 -n "$batch" "$work/lower-bound" < "$work/files" \
  || { echo "paired SHA-256 differs from OpenSSL's on this corpus" >&2; exit 1; }
pairs=$(median3 sh -c "PAIRS=1 xargs -0 -P 2 -n $batch '$work/lower-bound' < '$work/files'")
validate=$(median3 "$bin" validate "$corpus/drop" --out "$work/v" --jobs 2)
base=$floor
[ "$profile" = small ] && base=$file2
printf '\nprofile %s; ratios to %s\n' "$profile" "$([ "$profile" = small ] && echo "file --mime-type, 2 processes" || echo "the hash floor")"
for row in "hash floor:$floor" "file --mime-type, 2 processes:$file2" "contract's work alone:$lower" \
  "contract's work without the PNG check:$nopng" "contract's work, hashing uploads in pairs:$pairs" \
  "portfolio validate --jobs 2:$validate"; do
  printf '%-42s %7.3f s %6.2fx\n' "${row%%:*}" "${row##*:}" "$(echo "$base / ${row##*:}" | bc -l)"
done
