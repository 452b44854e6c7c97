/**
 * A Vitest reporter that counts honestly for `scripts/test.sh`: a test skipped because a hook
 * of its suite or file failed (beforeAll, a failed import) counts as failed, not skipped; a
 * file or suite whose hooks failed with no test to blame counts as one failure; every
 * unhandled error or rejection counts as one failure. Deliberately skipped tests are listed
 * by name. Writes `{passed, failed, skipped, failures, skippedTests}` to the path given as
 * the `outputFile` option (default `.data/vitest-counts.json`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, SerializedError, TestCase, TestModule, TestSuite } from "vitest/node";

type Counts = { passed: number; failed: number; skipped: number; failures: string[]; skippedTests: string[] };

function label(test: TestCase): string {
  return `${test.module.relativeModuleId} › ${test.fullName}`;
}

function firstLine(error: SerializedError | undefined): string {
  return (error?.message ?? "unknown error").split("\n")[0] ?? "";
}

/** The nearest suite or file above `test` whose hooks failed, if any. */
function brokenAncestor(test: TestCase): TestSuite | TestModule | undefined {
  for (let node: TestSuite | TestModule = test.parent; ; node = node.parent) {
    if (node.errors().length > 0) return node;
    if (node.type === "module") return undefined;
  }
}

export function countModules(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, failures: [], skippedTests: [] };
  const blamed = new Set<TestSuite | TestModule>();
  for (const testModule of modules) {
    for (const test of testModule.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") {
        counts.passed++;
        continue;
      }
      if (state === "failed") {
        counts.failed++;
        counts.failures.push(label(test));
        continue;
      }
      const broken = brokenAncestor(test);
      if (broken || state === "pending") {
        // It never ran because something above it failed (or the run stopped): a failure.
        if (broken) blamed.add(broken);
        counts.failed++;
        counts.failures.push(`${label(test)} (did not run: ${broken ? firstLine(broken.errors()[0]) : "pending"})`);
        continue;
      }
      counts.skipped++;
      counts.skippedTests.push(label(test));
    }
    const suites: (TestSuite | TestModule)[] = [testModule, ...testModule.children.allSuites()];
    for (const suite of suites) {
      if (suite.errors().length === 0 || blamed.has(suite)) continue;
      // A failed import, a failing afterAll, or a hook error with no test left to blame.
      counts.failed++;
      const where =
        suite.type === "module" ? suite.relativeModuleId : `${suite.module.relativeModuleId} › ${suite.fullName}`;
      counts.failures.push(`${where}: ${firstLine(suite.errors()[0])}`);
    }
  }
  for (const error of unhandled) {
    counts.failed++;
    counts.failures.push(`unhandled error: ${firstLine(error)}`);
  }
  return counts;
}

export default class CountsReporter implements Reporter {
  constructor(private readonly options: { outputFile?: string } = {}) {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const counts = countModules(modules, unhandled);
    const file = this.options.outputFile ?? ".data/vitest-counts.json";
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(counts, null, 2));
  }
}
