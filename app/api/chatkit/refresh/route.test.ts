/** POST /api/chatkit/refresh: mints a new secret, cancels only the caller's own previous session. */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatkitSessions } from "@/db/schema";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { POST as sessionPOST } from "../session/route";
import { POST } from "./route";

const testDb = useTestDatabase({ WORKFLOW_ID: "wf_test_default" });
const openai = useOpenAIFake();

let alice: TestUser;
let bob: TestUser;
beforeEach(async () => {
  openai.get().reset();
  alice = await createTestUser();
  bob = await createTestUser();
});
afterEach(() => openai.get().clearFaults());

async function send(handler: typeof POST, path: string, who: TestUser | undefined, body?: unknown) {
  const res = await handler(
    new Request(`http://app.test/api/chatkit/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(who?.headers ?? {}) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
    undefined,
  );
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}
const mint = async (who: TestUser) => (await send(sessionPOST, "session", who)).body.session_id as string;
const refresh = (who: TestUser | undefined, body?: unknown) => send(POST, "refresh", who, body);
const upstreamStatus = (id: string) => openai.get().resources.sessions.get(id)?.status;
const cancelCalls = () =>
  openai
    .get()
    .requests("/chatkit/sessions/")
    .filter((r) => r.path.endsWith("/cancel"));
async function row(id: string) {
  const db = await testDb.db();
  const [found] = await db.select().from(chatkitSessions).where(eq(chatkitSessions.id, id));
  return found;
}

describe("POST /api/chatkit/refresh", () => {
  it("cancels the caller's own session and answers a new secret", async () => {
    const old = await mint(alice);
    const res = await refresh(alice, { session_id: old });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "active", user: alice.id });
    expect(res.body.session_id).not.toBe(old);
    expect(typeof res.body.client_secret).toBe("string");
    expect(upstreamStatus(old)).toBe("cancelled");
    expect((await row(old))?.cancelledAt).toBeInstanceOf(Date);
    expect(await row(res.body.session_id as string)).toMatchObject({ userId: alice.id, cancelledAt: null });
  });

  it("accepts sessionId in camelCase", async () => {
    const old = await mint(alice);
    expect((await refresh(alice, { sessionId: old })).status).toBe(200);
    expect(upstreamStatus(old)).toBe("cancelled");
  });

  it("never cancels another user's session, but still mints the caller a new secret", async () => {
    const bobs = await mint(bob);
    const res = await refresh(alice, { session_id: bobs });
    expect(res.status).toBe(200);
    expect(res.body.user).toBe(alice.id);
    expect(upstreamStatus(bobs)).toBe("active");
    expect(cancelCalls()).toHaveLength(0);
    expect((await row(bobs))?.cancelledAt).toBeNull();
  });

  it("ignores unknown and already-cancelled session ids", async () => {
    expect((await refresh(alice, { session_id: "cksess_unknown" })).status).toBe(200);
    const old = await mint(alice);
    await refresh(alice, { session_id: old });
    expect((await refresh(alice, { session_id: old })).status).toBe(200);
    expect(cancelCalls()).toHaveLength(1);
  });

  it("without a session id it simply mints", async () => {
    const res = await refresh(alice);
    expect(res.status).toBe(200);
    expect(cancelCalls()).toHaveLength(0);
  });

  it("a failing cancel does not block the new secret (the old row stays uncancelled)", async () => {
    const old = await mint(alice);
    openai.get().failNext({ fault: "http500", path: `/chatkit/sessions/${old}/cancel` });
    const res = await refresh(alice, { session_id: old });
    expect(res.status).toBe(200);
    expect(upstreamStatus(res.body.session_id as string)).toBe("active");
    expect((await row(old))?.cancelledAt).toBeNull();
  });

  it("a failing mint answers 502 and leaves the old session working", async () => {
    const old = await mint(alice);
    openai.get().failNext({ fault: "http503", path: "/chatkit/sessions", method: "POST", times: 2 });
    const res = await refresh(alice, { session_id: old });
    expect(res.status).toBe(502);
    expect(res.body.detail).toBe("Unable to create ChatKit session.");
    expect(upstreamStatus(old)).toBe("active");
    expect(cancelCalls()).toHaveLength(0);
  });

  it("applies the workflow rules (403) before touching the old session", async () => {
    const old = await mint(alice);
    const res = await refresh(alice, { session_id: old, workflow_id: "wf_not_subscribed" });
    expect(res.status).toBe(403);
    expect(upstreamStatus(old)).toBe("active");
  });

  it("422 for a malformed session id or state; 400 for broken JSON", async () => {
    expect((await refresh(alice, { session_id: 12 })).status).toBe(422);
    expect((await refresh(alice, { session_id: "x".repeat(201) })).status).toBe(422);
    expect((await refresh(alice, { session_id: "cksess_1", state_variables: { a: { b: 1 } } })).status).toBe(422);
    expect((await refresh(alice, "{")).status).toBe(400);
    expect(openai.get().requests()).toHaveLength(0);
  });

  it("401 without credentials, and cancels nothing", async () => {
    const old = await mint(alice);
    const res = await refresh(undefined, { session_id: old });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(upstreamStatus(old)).toBe("active");
  });
});
