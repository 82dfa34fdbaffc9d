#!/usr/bin/env bash
# Install the headless browser the GraphiQL test drives (Debian's chromium) when missing.
# In CI (CI=true) a browser that still cannot be found fails the run.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "installing chromium (for the GraphiQL browser test)"
  apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; }
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium is not installed; browser tests will skip (and fail in CI)" >&2
  [ "${CI:-}" = "true" ] && exit 1
fi
exit 0
