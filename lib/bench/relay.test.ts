import { describe, expect, it } from "vitest";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { withEnv } from "@/e2e/support/env";
import { POST as relay } from "@/app/api/bench/relay/route";
import { GET as ping } from "@/app/api/bench/ping/route";

useOpenAIFake();

const post = (body: unknown) =>
  relay(new Request("http://app/api/bench/relay", { method: "POST", body: JSON.stringify(body) }), undefined);

describe("benchmark yardstick routes", () => {
  it("are not found unless BENCH_ROUTES=1", async () => {
    const restore = withEnv({ BENCH_ROUTES: undefined });
    try {
      expect((await ping(new Request("http://app/api/bench/ping"), undefined)).status).toBe(404);
      expect((await post({ text: "hi" })).status).toBe(404);
    } finally {
      restore();
    }
  });

  it("relay the model's stream event by event and answer a trivial JSON ping when enabled", async () => {
    const restore = withEnv({ BENCH_ROUTES: "1" });
    try {
      expect(await (await ping(new Request("http://app/api/bench/ping"), undefined)).json()).toEqual({ ok: true });
      const res = await post({ text: "[deltas:5] go" });
      const frames = (await res.text()).split("\n\n").filter(Boolean);
      const deltas = frames.filter((f) => f.includes('"response.output_text.delta"'));
      expect(deltas).toHaveLength(5);
      expect(frames.at(-1)).toContain('"response.completed"');
      expect((await post({ text: 42 })).status).toBe(422);
    } finally {
      restore();
    }
  });
});
