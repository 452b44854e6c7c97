/** The shared OpenAI client factory. */
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { withEnv } from "@/e2e/support/env";
import { AppError } from "@/lib/http";
import { callOpenAI, OPENAI_MAX_RETRIES, openaiClient, requireOpenAI } from "./index";

let restore: () => void = () => undefined;
afterEach(() => restore());

describe("openaiClient", () => {
  it("is undefined without OPENAI_API_KEY, and requireOpenAI answers 500 not_configured", () => {
    restore = withEnv({ OPENAI_API_KEY: undefined });
    expect(openaiClient()).toBeUndefined();
    expect(() => requireOpenAI()).toThrow(expect.objectContaining({ status: 500, code: "not_configured" }));
  });

  it("is built from the config (key, base URL, timeout, few retries) and shared while it is unchanged", () => {
    restore = withEnv({ OPENAI_API_KEY: "sk-a", OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_TIMEOUT_MS: "1234" });
    const client = requireOpenAI();
    expect(client).toMatchObject({
      apiKey: "sk-a",
      baseURL: "http://127.0.0.1:9/v1",
      timeout: 1234,
      maxRetries: OPENAI_MAX_RETRIES,
    });
    expect(openaiClient()).toBe(client);
    restore();
    restore = withEnv({ OPENAI_API_KEY: "sk-b" });
    expect(openaiClient()).not.toBe(client);
  });
});

describe("callOpenAI", () => {
  it("turns SDK errors into a 502 with the given detail and passes other errors through", async () => {
    const sdkError = new OpenAI.APIConnectionError({ message: "down" });
    const err = await callOpenAI("x", "Upstream said no.", () => Promise.reject(sdkError)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 502, detail: "Upstream said no." });
    const bug = new TypeError("bug");
    await expect(callOpenAI("x", "d", () => Promise.reject(bug))).rejects.toBe(bug);
  });
});
