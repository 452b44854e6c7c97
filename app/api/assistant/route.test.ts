import { describe, expect, it } from "vitest";
import { withEnv } from "@/e2e/support/env";
import { NOT_CONFIGURED_MESSAGE } from "@/lib/assistant/constants";
import { assistantStatusSchema } from "@/lib/assistant/status";
import { GET } from "./route";

async function status() {
  const response = await GET(new Request("http://app/api/assistant"), undefined);
  return { code: response.status, cache: response.headers.get("cache-control"), body: await response.json() };
}

describe("GET /api/assistant", () => {
  it("says configured, and nothing more, when OPENAI_API_KEY is set", async () => {
    const restore = withEnv({ OPENAI_API_KEY: "sk-secret-value", OPENAI_BASE_URL: undefined });
    try {
      const { code, cache, body } = await status();
      expect(code).toBe(200);
      expect(cache).toBe("no-store");
      expect(body).toEqual({ configured: true });
    } finally {
      restore();
    }
  });

  it("without OPENAI_API_KEY says not configured, in the chat's own words naming what to set", async () => {
    const restore = withEnv({ OPENAI_API_KEY: undefined });
    try {
      const { code, body } = await status();
      expect(code).toBe(200);
      expect(assistantStatusSchema.parse(body)).toEqual({ configured: false, detail: NOT_CONFIGURED_MESSAGE });
      expect(NOT_CONFIGURED_MESSAGE).toContain("OPENAI_API_KEY");
    } finally {
      restore();
    }
  });
});
