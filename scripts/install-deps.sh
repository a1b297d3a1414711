#!/usr/bin/env bash
# Installs the Debian packages the pipeline needs to build and run (you must be root).
# Safe to run again: it installs only what is missing. (.ci/run adds what only the tests use.)
set -euo pipefail
packages=(libmagic-dev libmagic-mgc libxml2-dev libxml2-utils libzip-dev libqpdf-dev libxlsxwriter-dev libdeflate-dev libssl-dev zlib1g-dev libsqlite3-dev pkg-config util-linux unzip)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "note: swift is at /opt/swift/usr/bin; add it to PATH" >&2
  else
    echo "error: no Swift 6 toolchain found (expected swift on PATH or /opt/swift)" >&2
    exit 1
  fi
fi
