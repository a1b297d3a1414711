#!/usr/bin/env bash
# How long and how much memory refusing each hostile transfer package takes (release build).
# The packages are the ones the hostile-import tests build (kept with PORTFOLIO_HOSTILE_DIR).
# Targets: each refusal under 1 second and under 100 MB of peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/release.sh
source scripts/release.sh
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
PORTFOLIO_HOSTILE_DIR="$work/packages" swift test --filter HostileImportTests >/dev/null 2>&1 || {
  echo "the hostile-import tests failed; run: swift test --filter HostileImportTests" >&2; exit 1; }
swift build "${release_build[@]}" --product portfolio >/dev/null 2>&1
bin="$(swift build "${release_build[@]}" --show-bin-path)/portfolio"

drop="$work/drop"
mkdir -p "$drop/uploads"
echo '{"schoolCode":"313303","schoolType":"general"}' > "$drop/school.json"
printf 'studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007-05-14,112\n' > "$drop/students.csv"
printf 'studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n' > "$drop/courses.csv"

# Baseline in the same run: `unzip -tq` (Info-ZIP testing the same archive, CRCs included).
printf '%-16s %10s %10s %12s %6s  %s\n' "package" "seconds" "peak MB" "unzip -t s" "exit" "verdict"
fail=0
for package in "$work"/packages/*.zip; do
  name=$(basename "$package" .zip)
  [ "$name" = "honest" ] && continue
  report="$work/time.txt"
  status=0
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$report" "$bin" import "$package" --into "$drop" --from-school 313302 >/dev/null 2>&1 || status=$?
  end=$(date +%s.%N)
  seconds=$(echo "$end - $start" | bc)
  start=$(date +%s.%N)
  unzip -tq "$package" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  baseline=$(echo "$end - $start" | bc)
  peak=$(awk -F': ' '/Maximum resident/ {printf "%.1f", $2/1024}' "$report")
  verdict="refused"
  if [ "$status" -ne 1 ]; then verdict="NOT REFUSED"; fail=1; fi
  if awk -v s="$seconds" -v m="$peak" 'BEGIN {exit !(s >= 1 || m >= 100)}'; then verdict="$verdict, OVER TARGET"; fail=1; fi
  printf '%-16s %10.3f %10s %12.3f %6s  %s\n' "$name" "$seconds" "$peak" "$baseline" "$status" "$verdict"
done
if [ -n "$(find "$drop/uploads" -mindepth 1 | head -1)" ]; then echo "the drop directory changed"; fail=1; fi
exit $fail
