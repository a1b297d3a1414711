#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (the toolchain's libclang_rt.fuzzer_no_main,
# AddressSanitizer, edge and compare coverage), half the time on each target: every content
# parser and the strict item.json check; then the whole pipeline (PORTFOLIO_FUZZ_TARGET=pipeline:
# a one-student drop from each input, validated, packaged and its packages checked, in-process).
#
#   scripts/fuzz.sh [--seconds 120] [--jobs 2]
#
# Seeds: samples/real, samples/sniff, the sample drop's item.json files, the sample receipt's JSON
# (samples/receipt) and the hostile uploads of
# scripts/make-hostile.py (an MP4 of 2^62 s, an impossible stsz, 3,000 pages sharing 3,000
# annotations, a small object-stream bomb: the in-process target has no memory limit of its own). An input that traps,
# trips the sanitizer or takes longer than 10 s fails the run; libFuzzer writes it to
# .build-fuzz/crashes/ and this script prints its path. New coverage goes to .build-fuzz/corpus
# (outside git). The binary and its instrumented dependencies are built in .build-fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
seconds=120
jobs=2
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) echo "usage: scripts/fuzz.sh [--seconds N] [--jobs N]" >&2; exit 64 ;;
  esac
done
runtime=$(ls "$(dirname "$(command -v swift)")"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -1)
swift build --scratch-path .build-fuzz --product portfolio-fuzz \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
  -Xcc -DPORTFOLIO_LIBFUZZER -Xlinker "$runtime" -Xlinker -lstdc++ >/dev/null
bin="$(swift build --scratch-path .build-fuzz --show-bin-path)/portfolio-fuzz"
mkdir -p .build-fuzz/corpus .build-fuzz/crashes .build-fuzz/seeds
cp samples/real/* samples/sniff/* .build-fuzz/seeds/
find samples/drop -name item.json | while read -r json; do cp "$json" ".build-fuzz/seeds/$(echo "$json" | tr '/' '_')"; done
for json in samples/receipt/*.json; do cp "$json" ".build-fuzz/seeds/receipt-$(basename "$json")"; done
clip=samples/sniff/video_mp4--clip.mp4
python3 scripts/make-hostile.py mp4-mvhd .build-fuzz/seeds/hostile-mvhd-2e62.mp4 "$clip"
python3 scripts/make-hostile.py mp4-stsz .build-fuzz/seeds/hostile-stsz.mp4 "$clip"
python3 scripts/make-hostile.py shared-annots .build-fuzz/seeds/hostile-shared-annots.pdf --pages 3000
python3 scripts/make-hostile.py objstm-bomb .build-fuzz/seeds/hostile-objstm-64mib.pdf --inflated-mib 64
mkdir -p .build-fuzz/corpus-pipeline
half=$(( (seconds + 1) / 2 ))
echo "fuzzing for ${seconds} s with ${jobs} workers (seeds: $(ls .build-fuzz/seeds | wc -l) files): parsers, then the pipeline"
status=0
ASAN_OPTIONS=detect_leaks=0 "$bin" -max_total_time="$half" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
  -fork="$jobs" -ignore_crashes=0 -artifact_prefix=.build-fuzz/crashes/ -print_final_stats=1 \
  .build-fuzz/corpus .build-fuzz/seeds > .build-fuzz/fuzz.log 2>&1 || status=$?
tail -n 8 .build-fuzz/fuzz.log
if [ "$status" -eq 0 ]; then
  PORTFOLIO_FUZZ_TARGET=pipeline ASAN_OPTIONS=detect_leaks=0 "$bin" -max_total_time="$half" -timeout=10 \
    -rss_limit_mb=2048 -max_len=1048576 -fork="$jobs" -ignore_crashes=0 -artifact_prefix=.build-fuzz/crashes/ \
    -print_final_stats=1 .build-fuzz/corpus-pipeline .build-fuzz/seeds > .build-fuzz/fuzz-pipeline.log 2>&1 || status=$?
  tail -n 8 .build-fuzz/fuzz-pipeline.log
fi
rm -rf "${TMPDIR:-/tmp}"/portfolio-fuzz-* 2>/dev/null || true  # the pipeline target's one-student drops
if [ "$status" -ne 0 ] || ls .build-fuzz/crashes/* >/dev/null 2>&1; then
  echo "fuzzing found a failing input:" >&2
  ls -l .build-fuzz/crashes/ >&2
  exit 1
fi
echo "fuzzing: no crash, no timeout in ${seconds} s"
