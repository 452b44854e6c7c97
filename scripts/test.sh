#!/usr/bin/env bash
# The one test command (`npm test`): typecheck, lint, Vitest, production build, Playwright,
# then the resilience suite. Every runner is run even when an earlier one fails, and the
# last line counts every test: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p .data
rm -f .data/vitest.json .data/playwright.json .data/resilience.json .data/checks.txt

check() { # name, command...
  local name=$1; shift
  echo "── $name"
  if "$@"; then echo "pass $name" >> .data/checks.txt; else echo "fail $name" >> .data/checks.txt; fi
}

check typecheck npx tsc --noEmit -p .
check lint npx eslint . --max-warnings=0
echo "── vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json=.data/vitest.json
check build npx next build
if grep -q "^fail build" .data/checks.txt; then
  echo "build failed: skipping Playwright"
else
  echo "── playwright"
  npx playwright test
fi
if [ -f scripts/resilience.ts ]; then
  echo "── resilience"
  npx tsx scripts/resilience.ts --json .data/resilience.json
fi
node scripts/count-results.mjs
