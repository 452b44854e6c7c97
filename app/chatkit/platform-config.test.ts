/** The deployment settings agree with the code: durations, the cron and the build's migration step. */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getEnv, resetEnvCache } from "@/lib/env";

const vercelJson = z
  .object({
    buildCommand: z.string(),
    functions: z.record(z.string(), z.object({ supportsCancellation: z.boolean().optional() })),
    crons: z.array(z.object({ path: z.string(), schedule: z.string() })),
  })
  .parse(JSON.parse(readFileSync("vercel.json", "utf8")));

describe("Vercel settings", () => {
  it("the turn deadline ends a turn before /chatkit's maxDuration would cut the stream", async () => {
    delete process.env.CHATKIT_TURN_DEADLINE_SECONDS;
    resetEnvCache();
    const { maxDuration } = await import("./route");
    const deadline = getEnv().chatkit.turnDeadlineMs;
    expect(deadline).toBeLessThanOrEqual(maxDuration * 1000 - 15_000); // room to store the partial reply
    expect(deadline).toBeGreaterThan(maxDuration * 1000 * 0.8);
  });

  it("the session routes and the cron route declare their durations", async () => {
    for (const file of ["../api/chatkit/session/route", "../api/chatkit/refresh/route", "../api/cron/jobs/route"]) {
      const mod = (await import(file)) as { maxDuration?: unknown };
      expect(mod.maxDuration, file).toEqual(expect.any(Number));
    }
  });

  it("the build migrates first, cancellation reaches /chatkit, and the cron calls the jobs route", () => {
    expect(vercelJson.buildCommand).toMatch(/^npm run db:migrate && /);
    expect(vercelJson.functions["app/chatkit/route.ts"]?.supportsCancellation).toBe(true);
    for (const file of Object.keys(vercelJson.functions)) expect(existsSync(file), file).toBe(true);
    expect(vercelJson.crons).toEqual([{ path: "/api/cron/jobs", schedule: expect.any(String) }]);
    expect(existsSync("app/api/cron/jobs/route.ts")).toBe(true);
  });
});
