import { describe, expect, it } from "vitest";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { useTestDatabase } from "@/e2e/support/test-database";
import { readSse } from "@/e2e/support/sse";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { captureLogs } from "@/lib/observability/logger";
import { POST } from "./route";

useTestDatabase();
useOpenAIFake();

type Line = Record<string, unknown>;

function post(user: TestUser | undefined, body: unknown, headers: Record<string, string> = {}) {
  return POST(
    new Request("http://app.test/chatkit", {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json", ...user?.headers, ...headers },
    }),
    undefined,
  );
}

const createThread = (text: string) => ({
  type: "threads.create",
  params: { input: { content: [{ type: "input_text", text }], attachments: [], inference_options: {} } },
});

const accessLines = (lines: Line[]) => lines.filter((l) => l.msg === "request");

/** Runs `fn` with the logs captured; returns them once `turns` access lines are written (a turn's comes when its stream ends). */
async function logged(fn: () => Promise<void>, turns = 1) {
  const logs = captureLogs("debug");
  try {
    await fn();
    for (let i = 0; i < 200 && accessLines(logs.lines).length < turns; i++) await new Promise((r) => setTimeout(r, 10));
    return logs;
  } finally {
    logs.stop();
  }
}

const accessLine = (lines: Line[]) => {
  const line = lines.find((l) => l.msg === "request");
  if (!line) throw new Error(`no access line in ${JSON.stringify(lines)}`);
  return line;
};

describe("POST /chatkit: request ids and log lines", () => {
  it("a turn answers with x-request-id and logs one access line with that id, the user, the request type and the outcome", async () => {
    const user = await createTestUser();
    let requestId = "";
    const logs = await logged(async () => {
      const res = await post(user, createThread("Hello there"));
      requestId = res.headers.get("x-request-id") ?? "";
      await readSse(res);
    });
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = accessLine(logs.lines);
    expect(line).toMatchObject({
      level: "info",
      request_id: requestId,
      route: "/chatkit",
      user_id: user.id,
      method: "POST",
      status: 200,
      chatkit_type: "threads.create",
      outcome: "completed",
    });
    expect(line.first_event_ms).toEqual(expect.any(Number));
    expect(line.duration_ms).toEqual(expect.any(Number));
    expect(logs.lines.filter((l) => l.msg === "request")).toHaveLength(1);
  });

  it("an incoming x-request-id of a safe form is kept; an unsafe one is replaced", async () => {
    const user = await createTestUser();
    const kept = await post(user, { type: "threads.list", params: {} }, { "x-request-id": "edge-42.abc:1" });
    expect(kept.headers.get("x-request-id")).toBe("edge-42.abc:1");
    const vercel = await post(
      user,
      { type: "threads.list", params: {} },
      { "x-vercel-id": "fra1::iad1::abc12-1700000000000-0123456789ab" },
    );
    expect(vercel.headers.get("x-request-id")).toBe("fra1::iad1::abc12-1700000000000-0123456789ab");
    const unsafe = await post(
      user,
      { type: "threads.list", params: {} },
      { "x-request-id": "<script>" + "x".repeat(200) },
    );
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a JSON error body carries the same request_id as the x-request-id header", async () => {
    const user = await createTestUser();
    const res = await post(user, { type: "threads.nope", params: {} });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; request_id?: string };
    expect(body.code).toBe("unknown_request_type");
    expect(body.request_id).toBe(res.headers.get("x-request-id"));
    const anonymous = await post(undefined, createThread("hi"));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { request_id?: string }).request_id).toBe(
      anonymous.headers.get("x-request-id"),
    );
  });

  it("a turn whose model call fails logs the model error's class, and the error event comes on a stream that carries the id", async () => {
    const user = await createTestUser();
    let requestId = "";
    const logs = await logged(async () => {
      const res = await post(user, createThread("[fault:failed] tell me something"));
      requestId = res.headers.get("x-request-id") ?? "";
      const events = await readSse(res);
      expect(events.some((e) => e.type === "error")).toBe(true);
    });
    expect(accessLine(logs.lines)).toMatchObject({
      request_id: requestId,
      outcome: "model_error",
      error_class: "response_failed",
    });
    const warning = logs.lines.find((l) => l.msg === "model call failed");
    expect(warning).toMatchObject({ request_id: requestId, user_id: user.id, error_class: "response_failed" });
  });

  it("no word of a message, nor a secret, token or address in it, reaches the log lines of its turn", async () => {
    const user = await createTestUser();
    const secret = "sk-proj-SECRETabcdef1234567890";
    const words = "zebracorn-marmalade-quixotic";
    const message = `My password is Hunter2!pass ${words}; key ${secret}; mail me at someone.private@example.org [fault:failed]`;
    const logs = await logged(async () => {
      await readSse(await post(user, createThread(message)));
      await readSse(await post(user, createThread(`again ${words} ${secret}`)));
    }, 2);
    const all = logs.raw.join("\n");
    expect(accessLines(logs.lines)).toHaveLength(2); // both turns were logged, so both were checked
    for (const needle of [secret, words, "Hunter2", "someone.private", user.email])
      expect(all, `log output contains ${needle}`).not.toContain(needle);
  });
});
