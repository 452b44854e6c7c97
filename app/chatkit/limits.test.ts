/**
 * Model input bounds and per-user quotas on POST /chatkit and the attachment upload: oversized
 * messages and titles are refused before any stream or model call, the history sent to the model
 * stays within its budget, and turns or uploads past a user's quota are refused with a clear answer.
 */
import { userInput } from "@/e2e/support/chatkit/fixtures";
import { describe, expect, it } from "vitest";
import { POST as signupRoute } from "@/app/api/auth/signup/route";
import { POST as upload } from "@/app/chatkit/attachments/[attachmentId]/upload/route";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { withEnv } from "@/e2e/support/env";
import { readSse } from "@/e2e/support/sse";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { DEFAULT_MESSAGE_MAX_CHARS } from "@/lib/http/model-limits";
import { POST } from "./route";

useTestDatabase({ RATE_LIMIT_DISABLED: "" });
const fake = useOpenAIFake();

function chatkit(user: TestUser, body: unknown) {
  return POST(
    new Request("http://app.test/chatkit", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...user.headers },
    }),
    undefined,
  );
}

const modelCalls = () => fake.get().requests("/responses").length;

async function createThread(user: TestUser, text: string) {
  const events = await readSse(await chatkit(user, { type: "threads.create", params: { input: userInput(text) } }));
  const created = events.find((e) => e.type === "thread.created") as { thread: { id: string } } | undefined;
  return { events, threadId: created?.thread.id ?? "" };
}

describe("model input bounds", () => {
  it("a message over the cap (7.5 MiB, or one character over) is refused with 422 before any stream or model call", async () => {
    const user = await createTestUser();
    const before = modelCalls();
    for (const text of ["x".repeat(7.5 * 1024 * 1024), "y".repeat(DEFAULT_MESSAGE_MAX_CHARS + 1)]) {
      const res = await chatkit(user, { type: "threads.create", params: { input: userInput(text) } });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(await res.json()).toMatchObject({ code: "message_too_long" });
    }
    expect(modelCalls()).toBe(before);
    const list = await (await chatkit(user, { type: "threads.list", params: {} })).json();
    expect(list.data).toEqual([]);
    // Exactly at the cap is fine.
    const { events } = await createThread(user, "z".repeat(DEFAULT_MESSAGE_MAX_CHARS));
    expect(events.some((e) => e.type === "thread.created")).toBe(true);
  });

  it("a follow-up message over the cap is refused the same way", async () => {
    const user = await createTestUser();
    const { threadId } = await createThread(user, "Hello");
    const res = await chatkit(user, {
      type: "threads.add_user_message",
      params: { thread_id: threadId, input: { ...userInput("a"), quoted_text: "q".repeat(DEFAULT_MESSAGE_MAX_CHARS) } },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "message_too_long" });
  });

  it("a 2 MB thread title is refused; a normal one is kept", async () => {
    const user = await createTestUser();
    const { threadId } = await createThread(user, "Hello");
    const huge = await chatkit(user, {
      type: "threads.update",
      params: { thread_id: threadId, title: "t".repeat(2_000_000) },
    });
    expect(huge.status).toBe(422);
    expect(await huge.json()).toMatchObject({ code: "title_too_long" });
    const ok = await chatkit(user, { type: "threads.update", params: { thread_id: threadId, title: "My thread" } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).title).toBe("My thread");
  });

  it("the history sent to the model stays within CHAT_HISTORY_MAX_CHARS, newest message included", async () => {
    const restore = withEnv({ CHAT_HISTORY_MAX_CHARS: "6000" });
    try {
      const user = await createTestUser();
      const { threadId } = await createThread(user, `first ${"a".repeat(2500)}`);
      for (const word of ["second", "third"]) {
        await readSse(
          await chatkit(user, {
            type: "threads.add_user_message",
            params: { thread_id: threadId, input: userInput(`${word} ${"b".repeat(2500)}`) },
          }),
        );
      }
      const last = fake.get().requests("/responses").at(-1)?.body as { input: unknown[] };
      const sent = JSON.stringify(last.input);
      expect(sent).toContain("third");
      expect(sent).not.toContain("a".repeat(100)); // the first message itself was left out
      expect(last.input.reduce<number>((n, item) => n + JSON.stringify(item).length, 0)).toBeLessThanOrEqual(6000);
    } finally {
      restore();
    }
  });
});

describe("hostile JSON", () => {
  it("100k-deep JSON inside an item's data is refused with 400, not a 500, and nothing is stored", async () => {
    const user = await createTestUser();
    const { threadId } = await createThread(user, "Hello");
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const body = `{"type":"threads.add_client_tool_output","params":{"thread_id":"${threadId}","result":${deep}}}`;
    const res = await POST(
      new Request("http://app.test/chatkit", {
        method: "POST",
        body,
        headers: { "content-type": "application/json", ...user.headers },
      }),
      undefined,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "json_too_deep" });
    const deepSmall = `${"[".repeat(5000)}${"]".repeat(5000)}`; // within the auth routes' 16 KiB limit
    const signup = await signupRoute(
      new Request("http://app.test/api/auth/signup", {
        method: "POST",
        body: deepSmall,
        headers: { "content-type": "application/json" },
      }),
      undefined,
    );
    expect(signup.status).toBe(400);
    expect(await signup.json()).toMatchObject({ code: "invalid_json" });
  });

  it("brackets inside strings do not count as nesting", async () => {
    const user = await createTestUser();
    const { events } = await createThread(user, "[".repeat(500) + '"\\' + "{".repeat(500));
    expect(events.some((e) => e.type === "thread.created")).toBe(true);
  });
});

describe("per-user quotas", () => {
  it("turns past the per-minute rate end with an error event the chat shows, without calling the model", async () => {
    const restore = withEnv({ MODEL_TURNS_PER_MINUTE: "2" });
    try {
      const user = await createTestUser();
      await createThread(user, "one");
      await createThread(user, "two");
      const before = modelCalls();
      const { events } = await createThread(user, "three");
      expect(events.find((e) => e.type === "error")).toMatchObject({
        type: "error",
        message: expect.stringContaining("faster than the assistant allows"),
        allow_retry: true,
      });
      expect(modelCalls()).toBe(before);
      // Someone else is not affected.
      const other = await createThread(await createTestUser(), "hello");
      expect(other.events.some((e) => e.type === "error")).toBe(false);
    } finally {
      restore();
    }
  });

  it("uploads past the per-minute rate answer 429 with Retry-After", async () => {
    const restore = withEnv({ UPLOADS_PER_MINUTE: "1" });
    try {
      const user = await createTestUser();
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 2; i++) {
        const created = await chatkit(user, {
          type: "attachments.create",
          params: { name: `n${i}.txt`, size: 3, mime_type: "text/plain" },
        });
        const att = (await created.json()) as { id: string; upload_descriptor: { url: string } };
        const res = await upload(
          new Request(att.upload_descriptor.url, { method: "POST", headers: user.headers, body: "abc" }),
          { params: Promise.resolve({ attachmentId: att.id }) },
        );
        statuses.push(res.status);
        retryAfter = res.headers.get("retry-after");
        if (res.status === 429) expect(await res.json()).toMatchObject({ code: "rate_limited" });
      }
      expect(statuses).toEqual([200, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      restore();
    }
  });
});
