#!/usr/bin/env bash
# The main job on the bundled samples, from a fresh Debian machine: installs what is missing,
# builds the release binary, scans and validates samples/drop. Results go to output/samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
bash scripts/install-deps.sh
swift build -c release --product portfolio
bin="$(swift build -c release --show-bin-path)/portfolio"
mkdir -p output/samples
# Exit 1 means "some uploads were rejected" — expected for the samples. 64 is a real failure.
status=0
"$bin" scan samples/drop --json > output/samples/scan.json || status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi
status=0
"$bin" validate samples/drop --out output/samples || status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi
status=0
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1700000000}" "$bin" package samples/drop --kind central --year 112 --out output/samples || status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi
"$bin" check output/samples/packages/*.zip
echo
echo "Inventory: output/samples/scan.json"
echo "Report:    output/samples/report.json  (every finding and every file)"
echo "Excel:     output/samples/rejections.csv"
echo "Packages:  output/samples/packages/ (zip + 收訖明細 receipts)"
