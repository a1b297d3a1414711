#!/usr/bin/env bash
# The install test (CI): build the .deb, check it with lintian, install it with apt, run the
# installed nightly pipeline from / with the build tree and /opt/swift hidden, compare its
# outputs with the build tree's byte for byte, verify the systemd units, then remove the package
# and check that a reinstall keeps the configuration and the outputs.
#
#   scripts/test-deb.sh [--keep]     (--keep: leave the package installed)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
keep=0
[ "${1:-}" = "--keep" ] && keep=1
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
export SOURCE_DATE_EPOCH=1700000000
work=$(mktemp -d /tmp/portfolio-deb-XXXXXX)
trap 'rm -rf "$work"' EXIT

bash scripts/build-deb.sh
package=$(ls dist/portfolio_*.deb | tail -n 1)

# lintian: no errors (warnings are reported, not fatal).
lintian --fail-on error --suppress-tags-from-file /dev/null "$package" > "$work/lintian.txt" 2>&1 \
  || fail "lintian reports errors: $(grep '^E:' "$work/lintian.txt" | head -5)"
echo "lintian: $(grep -c '^E:' "$work/lintian.txt" || true) errors, $(grep -c '^W:' "$work/lintian.txt" || true) warnings"

apt-get install -y --allow-downgrades "$repo/$package" > "$work/apt.log" 2>&1 || { cat "$work/apt.log"; exit 1; }
[ -x /usr/bin/portfolio ] || fail "/usr/bin/portfolio is not installed"
if ldd /usr/bin/portfolio | grep -E '/opt/swift|not found'; then fail "the installed binary needs the Swift toolchain"; fi
getent passwd portfolio >/dev/null || fail "postinst did not create the portfolio user"

# The installed program, run from / with the build tree and the toolchain hidden (empty folders
# bound over them in a private mount namespace), against the build tree's own binary.
bin_tree="$(swift build --show-bin-path)/portfolio"
[ -x "$bin_tree" ] || swift build --product portfolio >/dev/null
"$bin_tree" run pipelines/nightly.yml --drop "$repo/samples/drop" --output "$work/tree" >/dev/null 2>&1 || true
mkdir -p "$work/empty"
status=0
unshare --mount sh -c "
  set -e
  if [ -d /opt/swift ]; then mount --bind '$work/empty' /opt/swift; fi
  mount --bind '$work/empty' '$repo/.build'
  [ ! -e '$bin_tree' ] && [ ! -e /opt/swift/usr/bin/swift ] || exit 3
  cd / && exec /usr/bin/portfolio run /usr/share/portfolio/pipelines/nightly.yml --drop '$repo/samples/drop' \
    --output '$work/installed'
" > "$work/installed.out" 2> "$work/installed.err" || status=$?
[ "$status" = 1 ] || fail "the installed nightly run exited $status, not 1 (the samples hold rejected files): $(head -3 "$work/installed.err")"
compared=0
for file in report.json rejections.csv report.html scan.json $(cd "$work/tree" && ls notices/*.txt notices/*.html); do
  compared=$((compared + 1))
  cmp -s "$work/tree/$file" "$work/installed/$file" || fail "$file differs between the build tree and the installed program"
done
echo "installed run from / without the build tree or /opt/swift: $compared outputs equal the build tree's"
/usr/bin/portfolio policy --year 112 | grep -q "tw-" || fail "the installed policy command has no policy table"

# The units, as systemd reads them (with the generator's drop-ins applied).
generated="$work/generated"
mkdir -p "$generated"
/usr/lib/systemd/system-generators/portfolio-generator "$generated" "$generated" "$generated"
grep -q '^OnCalendar=\*-\*-\* 02:30:00$' "$generated/portfolio-nightly.timer.d/50-schedule.conf" \
  || fail "the generator did not apply the schedule"
grep -q '^ReadOnlyPaths=-/srv/portfolio/drop$' "$generated/portfolio-nightly.service.d/50-paths.conf" \
  || fail "the generator did not make the drop read-only"
if ! SYSTEMD_LOG_LEVEL=err systemd-analyze verify --man=no /usr/lib/systemd/system/portfolio-nightly.service \
  /usr/lib/systemd/system/portfolio-nightly.timer > "$work/verify.txt" 2>&1; then
  fail "systemd-analyze verify: $(cat "$work/verify.txt")"
fi
echo "units: systemd-analyze verify passed"

# Remove, then reinstall: the configuration (a conffile) and the outputs stay.
echo "PORTFOLIO_JOBS=3" >> /etc/portfolio/portfolio.conf
mkdir -p /var/lib/portfolio/nightly && echo kept > /var/lib/portfolio/nightly/marker
apt-get remove -y portfolio > "$work/remove.log" 2>&1 || fail "apt-get remove failed: $(tail -3 "$work/remove.log")"
[ ! -e /usr/bin/portfolio ] || fail "the binary is still there after removal"
[ -f /var/lib/portfolio/nightly/marker ] || fail "removal deleted the outputs"
getent passwd portfolio >/dev/null || fail "removal deleted the portfolio user"
apt-get install -y "$repo/$package" > "$work/apt2.log" 2>&1 || fail "reinstall failed"
grep -q '^PORTFOLIO_JOBS=3$' /etc/portfolio/portfolio.conf || fail "reinstall replaced the edited configuration"
[ -f /var/lib/portfolio/nightly/marker ] || fail "reinstall lost the outputs"
sed -i '/^PORTFOLIO_JOBS=3$/d' /etc/portfolio/portfolio.conf
rm -f /var/lib/portfolio/nightly/marker
if [ "$keep" = 0 ]; then
  apt-get purge -y portfolio > "$work/purge.log" 2>&1 || fail "apt-get purge failed"
  [ ! -e /etc/portfolio/portfolio.conf ] || fail "purge left the configuration"
fi
echo "remove and reinstall keep the configuration and the outputs"

if [ "$failures" -gt 0 ]; then
  echo "install test: $failures failures" >&2
  exit 1
fi
echo "install test: passed ($package)"
