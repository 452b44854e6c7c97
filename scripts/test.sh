#!/usr/bin/env bash
# The one test command (`npm test`). Checks first (typecheck, lint with the unused-code check,
# format), then the test runners: Vitest, the production build (a check), Playwright, and the
# resilience suite. Every step runs even when an earlier one fails. The closing lines are the
# checks on their own line, then the tests: "N passed, N failed, N skipped". The run fails
# when any check fails, any test fails, or any runner exits non-zero.
set -u
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p .data
rm -f .data/vitest-counts.json .data/playwright.json .data/resilience.json .data/checks.txt .data/runners.txt

check() { # name, command...: a check passes or fails as a whole
  local name=$1
  shift
  echo "── $name"
  if "$@"; then echo "pass $name" >>.data/checks.txt; else echo "fail $name" >>.data/checks.txt; fi
}

runner() { # name, command...: a test runner; its exit status is kept next to its counts
  local name=$1
  shift
  echo "── $name"
  "$@"
  echo "$name $?" >>.data/runners.txt
}

check typecheck npx tsc --noEmit -p .
check lint npm run --silent lint
check format npx prettier --check .
runner vitest npx vitest run --reporter=default --reporter=./scripts/vitest-counts.ts
check build npx next build
if grep -q "^fail build" .data/checks.txt; then
  echo "build failed: Playwright not run"
else
  runner playwright npx playwright test
fi
if [ -f scripts/resilience.ts ]; then
  runner resilience npx tsx --conditions=react-server scripts/resilience.ts --json .data/resilience.json
fi
node scripts/count-results.mjs
