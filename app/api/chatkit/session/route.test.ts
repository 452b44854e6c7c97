/** POST /api/chatkit/session against the OpenAI fake and a real Postgres database. */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatkitSessions, microAgents, userVectorStore } from "@/db/schema";
import { POST as webhook } from "@/app/api/webhooks/stripe/route";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { withEnv } from "@/e2e/support/env";
import { SEED_PRICES } from "@/e2e/fakes/stripe/server";
import { useStripeFake } from "@/e2e/support/fakes/stripe";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { limitSessionRequests, SESSION_RATE_LIMIT } from "@/lib/hosted-sessions";
import { POST } from "./route";

const WORKFLOW = "wf_test_default";
const testDb = useTestDatabase({
  WORKFLOW_ID: WORKFLOW,
  WORKFLOW_VERSION: "4",
  CHATKIT_SESSION_TTL_SECONDS: "300",
  CHATKIT_SESSION_MAX_REQUESTS_PER_MINUTE: "7",
});
const openai = useOpenAIFake();
const stripe = useStripeFake(webhook);

let user: TestUser;
beforeEach(async () => {
  openai.get().reset();
  user = await createTestUser();
});

async function call(body?: unknown, headers: Record<string, string> = user.headers) {
  const res = await POST(
    new Request("http://app.test/api/chatkit/session", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
    undefined,
  );
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

type SentSession = {
  user: string;
  workflow: { id: string; version?: string; state_variables: Record<string, unknown> };
} & Record<string, unknown>;
const sentSessions = () =>
  openai
    .get()
    .requests("/chatkit/sessions")
    .map((r) => r.body as SentSession);
const rows = async <T>(q: (db: Awaited<ReturnType<typeof testDb.db>>) => Promise<T>) => q(await testDb.db());
const sessionRows = (userId: string) =>
  rows((db) => db.select().from(chatkitSessions).where(eq(chatkitSessions.userId, userId)));
const storeRows = (userId: string) =>
  rows((db) => db.select().from(userVectorStore).where(eq(userVectorStore.userId, userId)));

/** A micro-agent row as the webhook leaves it; `priceId` decides what it unlocks, not `workflowId`. */
async function subscribe(
  userId: string,
  priceId: string,
  status: "pending" | "active" | "canceled" | "past_due",
  workflowId = "wf_inbox_triage",
) {
  await rows((db) =>
    db.insert(microAgents).values({ userId, agentName: "Agent", workflowId, stripePriceId: priceId, status }),
  );
}

describe("POST /api/chatkit/session", () => {
  it("mints a session for the configured workflow and answers the contract's shape", async () => {
    const res = await call();
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      "client_secret",
      "expires_at",
      "max_requests_per_1_minute",
      "session_id",
      "status",
      "user",
    ]);
    expect(res.body).toMatchObject({ status: "active", user: user.id, max_requests_per_1_minute: 7 });
    expect(res.headers.get("cache-control")).toBe("no-store");
    const session = openai.get().resources.sessions.get(res.body.session_id as string);
    expect(res.body.client_secret).toBe(session?.client_secret);
    expect(res.body.expires_at).toBe(session?.expires_at);

    const [sent] = sentSessions();
    const [store] = await storeRows(user.id);
    expect(sent).toEqual({
      user: user.id,
      workflow: {
        id: WORKFLOW,
        version: "4",
        state_variables: { user_id: user.id, vector_store_id: store?.vectorStoreId },
      },
      expires_after: { anchor: "created_at", seconds: 300 },
      rate_limits: { max_requests_per_1_minute: 7 },
      chatkit_configuration: {
        automatic_thread_titling: { enabled: true },
        file_upload: { enabled: false },
        history: { enabled: true },
      },
    });
    expect(openai.get().resources.getVectorStore(store!.vectorStoreId)).toMatchObject({
      name: `user-${user.id}-memory`,
      metadata: { user_id: user.id },
      expires_after: { anchor: "last_active_at", days: 365 },
    });
    expect(await sessionRows(user.id)).toMatchObject([
      { id: res.body.session_id, workflowId: WORKFLOW, cancelledAt: null },
    ]);
  });

  it("merges client state under the server's user_id and vector_store_id (server wins)", async () => {
    const res = await call({
      state_variables: { plan: "pro", seats: 3, beta: true, user_id: "someone-else", vector_store_id: "vs_evil" },
    });
    expect(res.status).toBe(200);
    const [store] = await storeRows(user.id);
    expect(sentSessions()[0]?.workflow.state_variables).toEqual({
      plan: "pro",
      seats: 3,
      beta: true,
      user_id: user.id,
      vector_store_id: store?.vectorStoreId,
    });
  });

  it("accepts camelCase aliases (workflowId, workflowVersion, stateVariables) and workflow_state", async () => {
    expect((await call({ workflowId: WORKFLOW, workflowVersion: 9, stateVariables: { tone: "warm" } })).status).toBe(
      200,
    );
    expect((await call({ workflow_state: { tone: "dry" } })).status).toBe(200);
    const [first, second] = sentSessions();
    expect(first?.workflow).toMatchObject({ id: WORKFLOW, version: "9", state_variables: { tone: "warm" } });
    expect(second?.workflow).toMatchObject({ version: "4", state_variables: { tone: "dry" } });
  });

  it("reuses the user's vector store on later sessions", async () => {
    await call();
    await call();
    expect(openai.get().requests("/vector_stores")).toHaveLength(1);
    expect(await storeRows(user.id)).toHaveLength(1);
    expect(await sessionRows(user.id)).toHaveLength(2);
  });

  it("creates exactly one vector store when 20 first sessions race", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => call()));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(
      openai
        .get()
        .requests("/vector_stores")
        .filter((r) => r.method === "POST"),
    ).toHaveLength(1);
    expect(openai.get().resources.vectorStores.size).toBe(1);
    const stores = await storeRows(user.id);
    expect(stores).toHaveLength(1);
    expect(new Set(sentSessions().map((s) => s.workflow.state_variables.vector_store_id))).toEqual(
      new Set([stores[0]?.vectorStoreId]),
    );
    expect(await sessionRows(user.id)).toHaveLength(20);
  });

  describe("workflow override (entitlements from the catalogue)", () => {
    it("refuses another workflow without a subscription (403) and calls nothing upstream", async () => {
      const res = await call({ workflow_id: "wf_inbox_triage" });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: "workflow_not_allowed" });
      expect(openai.get().requests()).toHaveLength(0);
    });

    it.each(["pending", "canceled", "past_due"] as const)(
      "refuses a workflow whose subscription is %s",
      async (status) => {
        await subscribe(user.id, SEED_PRICES.monthly, status);
        expect((await call({ workflow_id: "wf_inbox_triage" })).status).toBe(403);
      },
    );

    it("does not let another user's active subscription grant access", async () => {
      const other = await createTestUser();
      await subscribe(other.id, SEED_PRICES.monthly, "active");
      expect((await call({ workflow_id: "wf_inbox_triage" })).status).toBe(403);
    });

    it("allows the workflow the paid price's catalogue entry unlocks, on either of its plans, without the configured version", async () => {
      await subscribe(user.id, SEED_PRICES.yearly, "active");
      const res = await call({ workflowId: "wf_inbox_triage" });
      expect(res.status).toBe(200);
      expect(sentSessions()[0]?.workflow).toMatchObject({ id: "wf_inbox_triage" });
      expect(sentSessions()[0]?.workflow.version).toBeUndefined();
      expect(await sessionRows(user.id)).toMatchObject([{ workflowId: "wf_inbox_triage" }]);
    });

    it("refuses a workflow other than the one the price unlocks, whatever workflow the row names", async () => {
      // A subscription paid at the Inbox triage price, recorded (before the catalogue rule) as another workflow:
      await subscribe(user.id, SEED_PRICES.monthly, "active", "wf_meeting_notes");
      const res = await call({ workflow_id: "wf_meeting_notes" });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: "workflow_not_allowed" });
      // …nor does a price outside the catalogue unlock anything.
      await subscribe(user.id, SEED_PRICES.unlisted, "active", "wf_research_digest");
      expect((await call({ workflow_id: "wf_research_digest" })).status).toBe(403);
      expect(openai.get().requests("/chatkit/sessions")).toHaveLength(0);
    });

    it("keeps unlocking for a subscriber of a price archived since (Stripe still bills it)", async () => {
      await subscribe(user.id, SEED_PRICES.retired, "active");
      expect((await call({ workflow_id: "wf_inbox_triage" })).status).toBe(200);
    });

    it("knows a plan added to Stripe after the catalogue was read", async () => {
      await call({ workflow_id: "wf_inbox_triage" }); // reads (and caches) the catalogue
      stripe.get().addProduct({ id: "prod_new_agent", name: "New agent", metadata: { workflow_id: "wf_new_agent" } });
      stripe.get().addPrice({ id: "price_new_agent_monthly", product: "prod_new_agent" });
      await subscribe(user.id, "price_new_agent_monthly", "active", "wf_new_agent");
      expect((await call({ workflow_id: "wf_new_agent" })).status).toBe(200);
    });

    it("answers 503 (not 403 or 500) when the catalogue cannot be read, and the default workflow still works", async () => {
      await subscribe(user.id, SEED_PRICES.monthly, "active");
      const restore = withEnv({ STRIPE_API_BASE_URL: "http://127.0.0.1:9" });
      try {
        const res = await call({ workflow_id: "wf_inbox_triage" });
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ code: "catalogue_unavailable" });
        expect((await call()).status).toBe(200);
      } finally {
        restore();
      }
    });
  });

  describe("configuration", () => {
    it("answers 500 saying WORKFLOW_ID is not configured when no workflow can be resolved", async () => {
      const restore = withEnv({ WORKFLOW_ID: undefined, OPENAI_WORKFLOW_ID: undefined });
      try {
        const res = await call();
        expect(res.status).toBe(500);
        expect(res.body).toMatchObject({ code: "not_configured" });
        expect(res.body.detail).toMatch(/WORKFLOW_ID is not configured/);
        expect(openai.get().requests()).toHaveLength(0);
      } finally {
        restore();
      }
    });

    it("accepts OPENAI_WORKFLOW_ID as the configured workflow", async () => {
      const restore = withEnv({ WORKFLOW_ID: undefined, OPENAI_WORKFLOW_ID: "wf_alias" });
      try {
        expect((await call()).status).toBe(200);
        expect(sentSessions()[0]?.workflow.id).toBe("wf_alias");
      } finally {
        restore();
      }
    });

    it("answers 500 when OPENAI_API_KEY is unset", async () => {
      const restore = withEnv({ OPENAI_API_KEY: undefined });
      try {
        const res = await call();
        expect(res.status).toBe(500);
        expect(res.body.detail).toMatch(/OPENAI_API_KEY/);
      } finally {
        restore();
      }
    });
  });

  describe("OpenAI failures → 502 and nothing recorded", () => {
    it.each(["http500", "http400", "http401", "http429", "cut"])("session create fails with %s", async (fault) => {
      openai.get().failNext({ fault, path: "/chatkit/sessions", times: 2 }); // the first attempt and its retry
      const res = await call();
      expect(res.status).toBe(502);
      expect(res.body).toEqual({
        detail: "Unable to create ChatKit session.",
        code: "openai_error",
        request_id: expect.any(String),
      });
      expect(await sessionRows(user.id)).toHaveLength(0);
      expect(openai.get().resources.sessions.size).toBe(0);
    });

    it("vector store creation fails: 502, no store row, no session minted", async () => {
      openai.get().failNext({ fault: "http503", path: "/vector_stores", times: 2 });
      const res = await call();
      expect(res.status).toBe(502);
      expect(res.body.detail).toBe("Unable to create ChatKit session.");
      expect(await storeRows(user.id)).toHaveLength(0);
      expect(openai.get().requests("/chatkit")).toHaveLength(0);
      // The next attempt succeeds and records the store.
      expect((await call()).status).toBe(200);
      expect(await storeRows(user.id)).toHaveLength(1);
    });

    it("an upstream timeout becomes 502", async () => {
      const restore = withEnv({ OPENAI_TIMEOUT_MS: "200" });
      try {
        openai.get().failNext({ fault: "hang", path: "/chatkit/sessions", times: 2 });
        const res = await call();
        expect(res.status).toBe(502);
        expect(await sessionRows(user.id)).toHaveLength(0);
      } finally {
        restore();
      }
    });
  });

  describe("bad input → 4xx, nothing sent upstream", () => {
    it.each([
      ["a nested state value", { state_variables: { a: { b: 1 } } }],
      ["an array state value", { state_variables: { a: [1] } }],
      ["a null state value", { stateVariables: { a: null } }],
      ["a state key over 64 characters", { state_variables: { ["k".repeat(65)]: 1 } }],
      ["an empty state key", { state_variables: { "": 1 } }],
      ["a state key with spaces", { state_variables: { "two words": 1 } }],
      [
        "too many state variables",
        { state_variables: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) },
      ],
      ["an over-long state value", { state_variables: { a: "x".repeat(513) } }],
      ["state that is not an object", { workflow_state: "plan=pro" }],
      ["a non-string workflow id", { workflow_id: 42 }],
      ["a workflow id with odd characters", { workflow_id: "wf/../../etc" }],
      ["a body that is an array", [1, 2]],
    ])("422 for %s", async (_name, body) => {
      const res = await call(body);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe("validation_error");
      expect(openai.get().requests()).toHaveLength(0);
    });

    it("accepts exactly 32 variables with 64-character keys and 512-character values", async () => {
      const state = Object.fromEntries(
        Array.from({ length: 32 }, (_, i) => [`${i}`.padStart(64, "k"), "v".repeat(512)]),
      );
      expect((await call({ state_variables: state })).status).toBe(200);
    });

    it("400 for malformed JSON, 413 for an oversized body", async () => {
      expect((await call("{not json")).status).toBe(400);
      const huge = await call({ state_variables: { a: "x".repeat(40_000) } });
      expect(huge.status).toBe(413);
    });

    it("an empty body is fine", async () => {
      expect((await call("")).status).toBe(200);
    });
  });

  it("401 without credentials or with a bad token", async () => {
    const anonymous = await call({}, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    expect((await call({}, { authorization: "Bearer not-a-token" })).status).toBe(401);
    expect(openai.get().requests()).toHaveLength(0);
  });

  it("429 with Retry-After once the user's per-minute budget is spent; other users unaffected", async () => {
    for (let i = 0; i < SESSION_RATE_LIMIT.limit; i++) await limitSessionRequests(user.id);
    const res = await call();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(openai.get().requests()).toHaveLength(0);
    const other = await createTestUser();
    expect((await call({}, other.headers)).status).toBe(200);
  });
});

afterEach(() => openai.get().clearFaults());
