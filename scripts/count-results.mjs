// Sums what `scripts/test.sh` ran. Prints the skipped tests by name, the checks on their own
// line, and closes with the tests: "N passed, N failed, N skipped". Exits non-zero when a
// check failed, a test failed, or a runner exited non-zero (an exit with no failed test to
// show for it counts as one failure of that runner).
import { existsSync, readFileSync } from "node:fs";

function read(path) {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

function lines(path) {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
}

const exits = new Map(
  lines(".data/runners.txt").map((line) => {
    const [name, code] = line.split(" ");
    return [name, Number(code)];
  }),
);
const checks = lines(".data/checks.txt").map((line) => {
  const [status, name] = line.split(" ");
  return { name, ok: status === "pass" };
});

const runners = [];

const vitest = read(".data/vitest-counts.json");
runners.push({
  name: "vitest",
  ran: exits.has("vitest"),
  counts: vitest && { passed: vitest.passed, failed: vitest.failed, skipped: vitest.skipped },
  failures: vitest?.failures ?? [],
  skippedTests: vitest?.skippedTests ?? [],
});

const playwright = read(".data/playwright.json");
function playwrightTests(suite, out = []) {
  for (const spec of suite.specs ?? [])
    for (const test of spec.tests ?? []) out.push({ title: `${spec.file} › ${spec.title}`, status: test.status });
  for (const child of suite.suites ?? []) playwrightTests(child, out);
  return out;
}
const pwTests = playwright ? (playwright.suites ?? []).flatMap((s) => playwrightTests(s)) : [];
runners.push({
  name: "playwright",
  ran: exits.has("playwright"),
  counts: playwright && {
    passed: playwright.stats?.expected ?? 0,
    failed: (playwright.stats?.unexpected ?? 0) + (playwright.stats?.flaky ?? 0) + (playwright.errors ?? []).length,
    skipped: playwright.stats?.skipped ?? 0,
  },
  failures: [
    ...pwTests.filter((t) => t.status === "unexpected" || t.status === "flaky").map((t) => t.title),
    ...(playwright?.errors ?? []).map((e) => `error: ${String(e.message ?? "").split("\n")[0]}`),
  ],
  skippedTests: pwTests.filter((t) => t.status === "skipped").map((t) => t.title),
});

const resilience = read(".data/resilience.json");
runners.push({
  name: "resilience",
  ran: exits.has("resilience"),
  counts: resilience && { passed: resilience.passed ?? 0, failed: resilience.failed ?? 0, skipped: 0 },
  failures: (resilience?.cases ?? []).filter((c) => !c.ok).map((c) => c.name),
  skippedTests: [],
});

let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of runners) {
  if (!r.ran) continue; // not started (e.g. Playwright after a failed build): the failed check says why
  if (!r.counts) {
    failed += 1;
    console.log(`${r.name}: no report (exit ${exits.get(r.name)})`);
    continue;
  }
  passed += r.counts.passed;
  failed += r.counts.failed;
  skipped += r.counts.skipped;
  const code = exits.get(r.name) ?? 0;
  if (code !== 0 && r.counts.failed === 0) {
    failed += 1;
    console.log(`${r.name}: exited ${code} with no failed test to show for it (counted as one failure)`);
  }
  for (const name of r.failures) console.log(`failed  ${r.name}: ${name}`);
  for (const name of r.skippedTests) console.log(`skipped ${r.name}: ${name}`);
}

const failedChecks = checks.filter((c) => !c.ok);
const runnerExitedBadly = [...exits.values()].some((code) => code !== 0);
console.log(
  `checks: ${checks.length - failedChecks.length} passed, ${failedChecks.length} failed` +
    ` (${checks.map((c) => `${c.name} ${c.ok ? "ok" : "FAILED"}`).join(", ")})`,
);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failedChecks.length > 0 || runnerExitedBadly ? 1 : 0);
