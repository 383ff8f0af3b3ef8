#!/usr/bin/env bash
# Installs what a fresh machine with only Node 20 and the npm registry lacks, then the workspace.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

export TURBO_TELEMETRY_DISABLED=1

PNPM_VERSION=12.4.2
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION with npm (corepack cannot verify this registry)"
  npm i -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || npm i -g "pnpm@$PNPM_VERSION"
fi

# better-sqlite3 compiles from source when no prebuilt binary can be downloaded. node-gyp then
# needs Node's headers; when the distribution ships them (Debian: /usr/include/node), point it
# there instead of letting it try to download them. pnpm reads this only from the environment.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

pnpm install --frozen-lockfile
