#!/usr/bin/env bash
# Browser tests drive Debian's chromium through Playwright (no downloaded browser builds).
# Installs chromium and CJK fonts when missing and we may (root with apt-get).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "cjk"; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium and CJK fonts for the browser tests (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  exit 0
fi
echo "chromium is not installed and cannot be installed here: browser tests will be skipped." >&2
echo "Install Debian's 'chromium' and 'fonts-noto-cjk' packages to run them." >&2
exit 1
