/**
 * For Vitest: the OpenAI fake on a free port with the app's config (OPENAI_API_KEY,
 * OPENAI_BASE_URL) pointed at it. Call at the top level of a test file, after useTestDatabase().
 */
import { afterAll, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { start, type FakeOpenAI } from "@/e2e/fakes/openai/server";

export const TEST_OPENAI_KEY = "sk-test-vitest";

export function useOpenAIFake(extraEnv: Record<string, string> = {}): { get: () => FakeOpenAI } {
  let fake: FakeOpenAI | undefined;
  beforeAll(async () => {
    fake = await start(0, {});
    Object.assign(process.env, { OPENAI_API_KEY: TEST_OPENAI_KEY, OPENAI_BASE_URL: fake.baseURL, ...extraEnv });
    resetEnvCache();
  });
  afterAll(async () => {
    await fake?.close();
  });
  return {
    get: () => {
      if (!fake) throw new Error("OpenAI fake not started yet");
      return fake;
    },
  };
}
