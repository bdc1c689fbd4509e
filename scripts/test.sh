#!/usr/bin/env bash
# npm test: every test Casebook has. Installs the system tools the tests need when they are missing (Debian's
# Chromium for Playwright, dicom3tools/dcmtk/gdcm for DICOM validation), makes sure the local PostgreSQL runs,
# then type-checks, runs vitest (unit; integration on PGlite and on PostgreSQL) and Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v dciodvfy >/dev/null || need+=(dicom3tools)
command -v dcmdump >/dev/null || need+=(dcmtk)
command -v gdcmconv >/dev/null || need+=(libgdcm-tools)
if [ ${#need[@]} -gt 0 ]; then
  echo "test: installing ${need[*]} from Debian"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "test: starting the local PostgreSQL server"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
# The integration tests fail (never skip) when PostgreSQL is unreachable; say so early and plainly.
pg_isready -h 127.0.0.1 -p 5432 || { echo "test: PostgreSQL at 127.0.0.1:5432 is unreachable"; exit 1; }

echo "== typecheck"
npx tsc --noEmit -p .
echo "== vitest (unit, integration on PGlite and PostgreSQL)"
npx vitest run
echo "== playwright (end-to-end in Debian's Chromium)"
npx playwright test
