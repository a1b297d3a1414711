#!/usr/bin/env bash
# Time and peak memory (whole process tree) of `portfolio validate` on a one-student drop holding
# one hostile upload, against the same drop holding an ordinary PDF (the baseline, same run),
# release build. Targets: every bomb answered in well under the per-file limit of 20 s, the tree
# under 150 MB plus one worker's limit (512 MiB), the sparse files in well under a second.
#
#   scripts/bench-bombs.sh [--previous BIN]   also run another build on each (e.g. the one before)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/release.sh
source scripts/release.sh
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
previous=""
[ "${1:-}" = "--previous" ] && previous="$2"
swift build "${release_build[@]}" --product portfolio >/dev/null 2>&1
bin="$(swift build "${release_build[@]}" --show-bin-path)/portfolio"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
clip=samples/sniff/video_mp4--clip.mp4
mkdir -p "$work/files"
cp samples/sniff/application_pdf--report.pdf "$work/files/ordinary.pdf"
python3 scripts/make-hostile.py objstm-bomb "$work/files/objstm-1gib.pdf" --inflated-mib 1024
python3 scripts/make-hostile.py objstm-bomb "$work/files/objstm-4gib.pdf" --inflated-mib 4096
python3 scripts/make-hostile.py shared-annots "$work/files/annots-3000.pdf" --pages 3000
python3 scripts/make-hostile.py sparse "$work/files/sparse-8gib.mp4" --gib 8
python3 scripts/make-hostile.py sparse "$work/files/sparse-50gib.pdf" --gib 50
python3 scripts/make-hostile.py mp4-stsz "$work/files/stsz.mp4" "$clip"
python3 scripts/make-hostile.py mp4-mvhd "$work/files/mvhd-2e62.mp4" "$clip"

drop() {  # a one-student drop with the file $1 (role from its extension)
  local file="$1" folder="$work/drop-$(basename "$1")" role=document
  case "$file" in *.mp4|*.mp3) role=media ;; esac
  mkdir -p "$folder/uploads/110001/mp-112-0001"
  echo '{"schoolCode":"313302","schoolType":"general"}' > "$folder/school.json"
  printf 'studentNumber,idNumber,name,birthDate,enrollmentYear\n110001,A123456789,王小明,2007-05-14,112\n' > "$folder/students.csv"
  printf 'studentNumber,academicYear,term,courseCode,courseName,credits,score,passed,teacherIds\n' > "$folder/courses.csv"
  ln "$file" "$folder/uploads/110001/mp-112-0001/$(basename "$file")" 2>/dev/null || cp --sparse=always "$file" "$folder/uploads/110001/mp-112-0001/"
  printf '{"itemId":"mp-112-0001","kind":"multiple-performance","academicYear":112,"category":"works","title":"作品","summary":"摘要","startDate":"2023-09-01","uploadedAt":"2023-10-01T10:00:00+08:00","files":[{"name":"%s","role":"%s"}]}' \
    "$(basename "$file")" "$role" > "$folder/uploads/110001/mp-112-0001/item.json"
  echo "$folder"
}
measure() {  # seconds and peak MB of validate by binary $1 on drop $2, report into $3
  local start end peak
  rm -rf "$3"
  start=$(date +%s.%N)
  peak=$(python3 scripts/tree-peak.py "$1" validate "$2" --out "$3")
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $peak"
}
read -r base_s base_mb <<< "$(measure "$bin" "$(drop "$work/files/ordinary.pdf")" "$work/out-base")"
printf '%-20s %9s %9s %9s  %s\n' "upload" "seconds" "vs plain" "peak MB" "answer"
printf '%-20s %9.3f %9.2f %9s  %s\n' "ordinary.pdf" "$base_s" 1 "$base_mb" "(baseline)"
fail=0
for file in "$work"/files/*; do
  name=$(basename "$file")
  [ "$name" = ordinary.pdf ] && continue
  folder=$(drop "$file")
  read -r s mb <<< "$(measure "$bin" "$folder" "$work/out")"
  answer=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(' '.join(sorted(f['code'] + ('/' + f['details'].get('reason', '') if f['code'] == 'inspection-failed' else '') for f in r['findings'])) or 'accepted')" "$work/out/report.json" 2>/dev/null || echo "no report")
  printf '%-20s %9.3f %9.2f %9s  %s\n' "$name" "$s" "$(echo "$s / $base_s" | bc -l)" "$mb" "$answer"
  if [ -n "$previous" ]; then
    read -r ps pmb <<< "$(timeout 300 bash -c "$(declare -f measure); measure $previous $folder $work/out-previous" || echo "300 ?")"
    printf '%-20s %9.3f %9s %9s  %s\n' "  previous build" "$ps" "" "$pmb" ""
  fi
  if awk -v s="$s" -v m="$mb" 'BEGIN {exit !(s >= 20 || m >= 150 + 512 + 64)}'; then fail=1; fi
done
exit $fail
