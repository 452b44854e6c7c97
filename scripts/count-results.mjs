// Sums the results of every runner into the closing line "N passed, N failed".
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
const missing = [];

function read(path) {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

const vitest = read(".data/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += (vitest.numFailedTests ?? 0) + (vitest.numFailedTestSuites ?? 0) - countFailedSuitesWithFailedTests(vitest);
} else missing.push("vitest");

function countFailedSuitesWithFailedTests(report) {
  // A suite that failed to load has no failed tests of its own: count it once as a failure.
  return (report.testResults ?? []).filter(
    (s) => s.status === "failed" && (s.assertionResults ?? []).some((a) => a.status === "failed"),
  ).length;
}

const playwright = read(".data/playwright.json");
if (playwright) {
  passed += playwright.stats?.expected ?? 0;
  failed += (playwright.stats?.unexpected ?? 0) + (playwright.stats?.flaky ?? 0);
  if ((playwright.errors ?? []).length > 0) failed += 1;
} else if (!existsSync(".data/checks.txt") || !readFileSync(".data/checks.txt", "utf8").includes("fail build")) {
  missing.push("playwright");
}

const resilience = read(".data/resilience.json");
if (resilience) {
  passed += resilience.passed ?? 0;
  failed += resilience.failed ?? 0;
} else if (existsSync("scripts/resilience.ts")) {
  missing.push("resilience");
}

if (existsSync(".data/checks.txt")) {
  for (const line of readFileSync(".data/checks.txt", "utf8").split("\n")) {
    if (line.startsWith("pass ")) passed += 1;
    else if (line.startsWith("fail ")) failed += 1;
  }
}

// A runner that produced no report at all is a failure, not silence.
failed += missing.length;
if (missing.length) console.log(`no report from: ${missing.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
