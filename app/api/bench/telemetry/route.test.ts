import { describe, expect, it } from "vitest";
import { withEnv } from "@/e2e/support/env";
import { POST } from "./route";

const post = (body: string) =>
  POST(
    new Request("http://app/api/bench/telemetry", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    }),
    undefined,
  );

describe("POST /api/bench/telemetry", () => {
  it("is not found unless BENCH_ROUTES=1", async () => {
    const restore = withEnv({ BENCH_ROUTES: undefined });
    try {
      expect((await post(JSON.stringify({ recording: false }))).status).toBe(404);
    } finally {
      restore();
    }
  });

  it("refuses a body without a boolean `recording`, and says telemetry is not registered where it is not", async () => {
    const restore = withEnv({ BENCH_ROUTES: "1" });
    try {
      for (const bad of ["", "not json", "{}", JSON.stringify({ recording: "no" }), JSON.stringify([true])]) {
        const res = await post(bad);
        expect(res.status, bad).toBeGreaterThanOrEqual(400);
        expect(res.status, bad).toBeLessThan(500);
        expect(((await res.json()) as { request_id?: string }).request_id).toBeTruthy();
      }
      const res = await post(JSON.stringify({ recording: false }));
      expect(await res.json()).toEqual({ recording: false, registered: false });
    } finally {
      restore();
    }
  });
});
