/**
 * The Stripe set-up commands, run exactly as the README tells a person to (`npm run …`): they
 * import server modules (settings, the Stripe client), so they must load under the server's
 * conditions and reach their own argument checks rather than fail on an import.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function npmRun(script: string, args: string[] = []) {
  const env = { ...process.env, STRIPE_SECRET_KEY: "" };
  const run = spawnSync("npm", ["run", "--silent", script, "--", ...args], { env, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("npm scripts that set up Stripe", () => {
  it("stripe:seed-catalogue loads and asks for a test-mode key when none is set", () => {
    const run = npmRun("stripe:seed-catalogue");
    expect(run.output).not.toMatch(/cannot be imported|ERR_MODULE_NOT_FOUND|SyntaxError/);
    expect(run.output).toContain("Set STRIPE_SECRET_KEY to a test-mode key");
    expect(run.status).toBe(1);
  });

  it("stripe:webhook-endpoint loads and prints its usage when no key is set", () => {
    const run = npmRun("stripe:webhook-endpoint", ["https://app.example.com"]);
    expect(run.output).not.toMatch(/cannot be imported|ERR_MODULE_NOT_FOUND|SyntaxError/);
    expect(run.output).toContain("STRIPE_SECRET_KEY");
    expect(run.status).toBe(1);
  });
});
