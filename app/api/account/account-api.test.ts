/**
 * The account API against a real database and the Stripe and OpenAI fakes: overview, export,
 * deletion (with its outside clean-up, outages included) and the billing portal, each with
 * hostile input and another user's credentials, two users side by side.
 */
import { eq, like, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import {
  accountCleanupJobs,
  facts,
  microAgents,
  oauthAccounts,
  outboundEmails,
  rateLimits,
  stripeEvents,
  users,
} from "@/db/schema";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { withEnv } from "@/e2e/support/env";
import { SEED_PRICES } from "@/e2e/fakes/stripe/server";
import { useStripeFake } from "@/e2e/support/fakes/stripe";
import { seedAccountData } from "@/e2e/support/account-data";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { drainAccountCleanupJobs } from "@/lib/account/cleanup-jobs";
import { hashPassword } from "@/lib/auth/password";
import { accountRateLimitPatterns } from "@/lib/auth/rate-limits";
import { currentUser } from "@/lib/auth/require-user";
import { sessionCookieFor } from "@/lib/auth/session-cookie";
import { resetEnvCache } from "@/lib/env";
import { uploadFactToMemory } from "@/lib/memory";
import { POST as webhook } from "@/app/api/webhooks/stripe/route";
import { POST as signupRoute } from "@/app/api/auth/signup/route";
import { POST as loginRoute } from "@/app/api/auth/login/route";
import { POST as subscribeRoute } from "@/app/api/microagents/subscribe/route";
import { POST as portalRoute } from "@/app/api/billing/portal/route";
import { POST as deleteRoute } from "./delete/route";
import { POST as passwordRoute } from "./password/route";
import { POST as signOutEverywhereRoute } from "./sign-out-everywhere/route";
import { GET as exportRoute } from "./export/route";
import { GET as overviewRoute } from "./route";

useTestDatabase({ JWT_SECRET: "unit-test-secret-0123456789abcdef0123" });
const stripeFake = useStripeFake(webhook);
const openaiFake = useOpenAIFake();

const ORIGIN = "http://app.test";
const PASSWORD = "correct horse battery";

type Account = TestUser & { password: string | null };

beforeEach(() => {
  process.env.RATE_LIMIT_DISABLED = "1";
  resetEnvCache();
});

/** A user with a password (or none: OAuth-only), a bearer token and a browser session cookie. */
async function account(options: { password?: string | null } = {}): Promise<Account & { cookie: string }> {
  const user = await createTestUser();
  const password = options.password === undefined ? PASSWORD : options.password;
  const db = await getDb();
  if (password)
    await db
      .update(users)
      .set({ hashedPassword: await hashPassword(password) })
      .where(eq(users.id, user.id));
  const [row] = await db.select().from(users).where(eq(users.id, user.id));
  return { ...user, password, cookie: await sessionCookieFor(row!) };
}

const request = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  new Request(`${ORIGIN}${path}`, init);
const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const del = (who: { headers: Record<string, string> } | null, body: unknown) =>
  deleteRoute(postJson("/api/account/delete", body, who?.headers ?? {}), undefined);
const changePassword = (headers: Record<string, string>, body: unknown) =>
  passwordRoute(postJson("/api/account/password", body, headers), undefined);
const overview = (headers: Record<string, string>) => overviewRoute(request("/api/account", { headers }), undefined);
const exportOf = (headers: Record<string, string>) =>
  exportRoute(request("/api/account/export", { headers }), undefined);

/** Subscribes at the fake and, unless `pending`, pays, so the webhook makes the agent active. */
async function subscribe(user: TestUser, pending = false) {
  const res = await subscribeRoute(
    postJson(
      "/api/microagents/subscribe",
      { agent_name: "Inbox triage", workflow_id: "wf_inbox_triage", price_id: SEED_PRICES.monthly },
      user.headers,
    ),
    undefined,
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as { checkout_url: string; micro_agent_id: string };
  const sessionId = body.checkout_url.split("/").pop()!;
  if (pending) return { sessionId, subscriptionId: null };
  const { subscription } = stripeFake.get().completeCheckout(sessionId);
  await stripeFake.get().settled();
  return { sessionId, subscriptionId: subscription.id };
}

/** Copies the user's saved fact into memory at the OpenAI fake (vector store + file), as the app does. */
async function remember(user: TestUser, factId: string, text: string) {
  const entry = await uploadFactToMemory({ userId: user.id, factId, text, source: "chat" });
  const db = await getDb();
  await db.update(facts).set({ memoryFileId: entry.fileId }).where(eq(facts.id, factId));
  return entry;
}

/** Everything of one user across the schema: every table with a user_id column, plus address-keyed rows. */
async function rowsOwnedBy(user: { id: string; email: string }): Promise<Record<string, number>> {
  const db = await getDb();
  const rowsOf = async <T>(query: ReturnType<typeof sql>) =>
    ((await db.execute(query)) as unknown as { rows: T[] }).rows;
  const tables = await rowsOf<{ table_name: string }>(
    sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'user_id' and table_name <> 'account_cleanup_jobs' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const r = await rowsOf<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(table_name)} where user_id = ${user.id}`,
    );
    counts[table_name] = r[0]?.n ?? -1;
  }
  const [u] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`${users.id} = ${user.id} or ${users.email} = ${user.email}`);
  counts.users = u?.n ?? -1;
  const [e] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outboundEmails)
    .where(eq(outboundEmails.toAddress, user.email));
  counts.outbound_emails = e?.n ?? -1;
  let limits = 0;
  for (const pattern of accountRateLimitPatterns(user)) {
    const [l] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(rateLimits)
      .where(like(rateLimits.bucket, pattern));
    limits += l?.n ?? 0;
  }
  counts.rate_limits = limits;
  return counts;
}

const soon = () => new Date(Date.now() + 1000); // row defaults carry microseconds a Date cannot express

/** Two users with data everywhere, each with a paid subscription and facts in memory. */
async function twoFullAccounts() {
  const a = await account();
  const b = await account();
  const seedA = await seedAccountData(a);
  const seedB = await seedAccountData(b);
  const subA = await subscribe(a);
  const pendingA = await subscribe(a, true);
  const subB = await subscribe(b);
  const memA = await remember(a, seedA.factIds.saved, seedA.factTexts[1]!);
  const memB = await remember(b, seedB.factIds.saved, seedB.factTexts[1]!);
  return { a, b, seedA, seedB, subA, pendingA, subB, memA, memB };
}

describe("GET /api/account", () => {
  it("answers the caller's email, creation time and linked sign-in methods, for a token or a session cookie", async () => {
    const a = await account();
    const b = await account({ password: null });
    await (
      await getDb()
    )
      .insert(oauthAccounts)
      .values({ userId: b.id, provider: "apple", providerAccountId: "apple-1", email: b.email });
    const viaToken = await overviewRoute(request("/api/account", { headers: a.headers }), undefined);
    expect(viaToken.status).toBe(200);
    expect(await viaToken.json()).toMatchObject({
      id: a.id,
      email: a.email,
      has_password: true,
      sign_in_methods: ["password"],
    });
    const viaCookie = await overviewRoute(request("/api/account", { headers: { cookie: b.cookie } }), undefined);
    const body = await viaCookie.json();
    expect(body).toMatchObject({ id: b.id, has_password: false, sign_in_methods: ["apple"] });
    expect(body.linked_accounts).toEqual([expect.objectContaining({ provider: "apple", email: b.email })]);
    expect(new Date(body.created_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(body)).not.toMatch(/\$2[aby]\$|token_version/);
  });

  it("answers 401 without credentials or with forged ones", async () => {
    expect((await overviewRoute(request("/api/account"), undefined)).status).toBe(401);
    const forged = await overviewRoute(
      request("/api/account", { headers: { authorization: "Bearer eyJhbGciOiJub25lIn0.e30." } }),
      undefined,
    );
    expect(forged.status).toBe(401);
    const cookie = await overviewRoute(
      request("/api/account", { headers: { cookie: "next-auth.session-token=garbage" } }),
      undefined,
    );
    expect(cookie.status).toBe(401);
  });
});

describe("GET /api/account/export", () => {
  it("downloads the caller's profile, facts, threads with items, feedback, attachments, subscriptions — and nothing of the other user", async () => {
    const { a, b, seedA, seedB, subA, memA } = await twoFullAccounts();
    const res = await exportOf(a.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="facts-chat-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: "facts-chat-export", version: 1 });
    expect(doc.profile).toMatchObject({ id: a.id, email: a.email, sign_in_methods: ["password", "google"] });
    expect(doc.profile.memory_vector_store).toMatchObject({ id: memA.vectorStoreId });
    expect(doc.facts.map((f: { id: string; status: string }) => [f.id, f.status]).sort()).toEqual(
      [
        [seedA.factIds.pending, "pending"],
        [seedA.factIds.saved, "saved"],
        [seedA.factIds.discarded, "discarded"],
      ].sort(),
    );
    expect(doc.facts.find((f: { id: string }) => f.id === seedA.factIds.saved)).toMatchObject({
      in_memory: true,
      memory_file_id: memA.fileId,
    });
    expect(doc.threads).toHaveLength(1);
    expect(doc.threads[0]).toMatchObject({ id: seedA.threadId, metadata: { title: `Chat about ${seedA.marker}` } });
    expect(doc.threads[0].items.map((i: { id: string }) => i.id)).toEqual(seedA.itemIds);
    expect(doc.feedback).toEqual([
      expect.objectContaining({ thread_id: seedA.threadId, item_id: seedA.itemIds[1], kind: "positive" }),
    ]);
    expect(doc.attachments).toEqual([
      expect.objectContaining({
        id: seedA.attachmentId,
        name: `${seedA.marker}.txt`,
        mime_type: "text/plain",
        stored_bytes: 20,
      }),
    ]);
    expect(text).not.toContain(`secret ${seedA.marker}`); // metadata only, never the bytes
    expect(doc.micro_agents).toHaveLength(2);
    expect(doc.micro_agents.map((m: { status: string }) => m.status).sort()).toEqual(["active", "pending"]);
    expect(doc.micro_agents.map((m: { stripe_subscription_id: string | null }) => m.stripe_subscription_id)).toContain(
      subA.subscriptionId,
    );
    const paid = doc.micro_agents.find((m: { status: string }) => m.status === "active");
    expect(paid.history.map((h: { event: string }) => h.event)).toEqual(
      expect.arrayContaining(["customer.subscription.created", "invoice.paid", "checkout.session.completed"]),
    );
    expect(doc.micro_agents.find((m: { status: string }) => m.status === "pending").history).toEqual([]);
    expect(doc.hosted_chat_sessions).toEqual([expect.objectContaining({ id: seedA.hostedSessionId })]);
    expect(doc.sign_in_sessions).toEqual([{ created_at: expect.any(String), revoked_at: null }]);
    expect(doc.profile).toHaveProperty("email_verified_at", null);
    // Nothing of the user beside: no id, address, marker, fact or subscription of theirs.
    for (const foreign of [
      b.id,
      b.email,
      seedB.marker,
      seedB.threadId,
      seedB.attachmentId,
      ...Object.values(seedB.factIds),
    ])
      expect(text).not.toContain(foreign);
  });

  it("streams a large account page by page as one valid document", async () => {
    const a = await account();
    const db = await getDb();
    const rows = Array.from({ length: 650 }, (_, i) => ({
      id: `fact_${i.toString(16).padStart(32, "0")}`,
      userId: a.id,
      text: `Fact number ${i}`,
      status: "saved" as const,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i % 3)), // ties on the timestamp: the id breaks them
    }));
    await db.insert(facts).values(rows);
    const res = await exportOf(a.headers);
    const reader = res.body!.getReader();
    let chunks = 0;
    let text = "";
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
    expect(chunks).toBeGreaterThan(650); // one record per chunk, never the whole account at once
    const doc = JSON.parse(text);
    expect(doc.facts).toHaveLength(650);
    expect(new Set(doc.facts.map((f: { id: string }) => f.id)).size).toBe(650);
  });

  it("answers 401 without credentials and exports only the token's owner with another user's token", async () => {
    expect((await exportOf({})).status).toBe(401);
    const a = await account();
    const b = await account();
    await seedAccountData(a);
    const doc = await (await exportOf(b.headers)).json();
    expect(doc.profile.id).toBe(b.id);
    expect(doc.facts).toEqual([]);
    expect(doc.threads).toEqual([]);
  });
});

describe("POST /api/account/delete", () => {
  it("removes every row of the account, keeps the other user's, and the drain clears Stripe and OpenAI", async () => {
    const { a, b, subA, pendingA, subB, memA, memB } = await twoFullAccounts();
    const before = await rowsOwnedBy(b);
    expect(Object.values(await rowsOwnedBy(a)).every((n) => n >= 0)).toBe(true);

    const res = await del({ headers: { cookie: a.cookie } }, { password: PASSWORD });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().join("\n")).toMatch(/next-auth\.session-token=;.*Max-Age=0/);

    const left = await rowsOwnedBy(a);
    expect(Object.entries(left).filter(([, n]) => n !== 0)).toEqual([]);
    expect(Object.keys(left)).toEqual(
      expect.arrayContaining(["facts", "chatkit_threads", "chatkit_items", "chatkit_attachments", "chatkit_feedback"]),
    );
    expect(await rowsOwnedBy(b)).toEqual(before);

    const db = await getDb();
    const historyOf = (sub: string) => db.select().from(stripeEvents).where(eq(stripeEvents.stripeSubscriptionId, sub));
    expect(await historyOf(subA.subscriptionId!)).toEqual([]);
    expect((await historyOf(subB.subscriptionId!)).length).toBeGreaterThan(0);
    const jobs = await db.select().from(accountCleanupJobs).where(eq(accountCleanupJobs.userId, a.id));
    expect(jobs.map((j) => j.kind).sort()).toEqual(["openai", "stripe"]);
    const fake = stripeFake.get();
    const openai = openaiFake.get();
    // Nothing outside was touched inside the request.
    expect(fake.subscription(subA.subscriptionId!)?.status).toBe("active");
    expect(openai.resources.vectorStores.has(memA.vectorStoreId)).toBe(true);

    expect(await drainAccountCleanupJobs(db, { now: soon })).toEqual({ done: 2, retried: 0 });
    await fake.settled();
    expect(fake.subscription(subA.subscriptionId!)?.status).toBe("canceled");
    expect(fake.session(pendingA.sessionId)?.status).toBe("expired");
    expect(openai.resources.vectorStores.has(memA.vectorStoreId)).toBe(false);
    expect(openai.resources.files.has(memA.fileId)).toBe(false);
    // The other user's subscription, store and file are untouched.
    expect(fake.subscription(subB.subscriptionId!)?.status).toBe("active");
    expect(openai.resources.vectorStores.has(memB.vectorStoreId)).toBe(true);
    expect(openai.resources.files.has(memB.fileId)).toBe(true);
    // The cancellation's webhooks were acknowledged and recreated nothing.
    expect(fake.deliveries().every((d) => d.status === 200)).toBe(true);
    expect(await db.select().from(microAgents).where(eq(microAgents.userId, a.id))).toEqual([]);
    const done = await db.select().from(accountCleanupJobs).where(eq(accountCleanupJobs.userId, a.id));
    expect(done.every((j) => j.status === "done" && j.doneAt !== null)).toBe(true);
    expect(done.map((j) => j.payload)).toEqual([{}, {}]); // the outside ids are forgotten once cleaned
    // Running the drain again finds nothing due.
    expect(await drainAccountCleanupJobs(db, { now: soon })).toEqual({ done: 0, retried: 0 });
  });

  it("completes while Stripe and OpenAI are down; the clean-up is retried until they are back", async () => {
    const { a, subA, memA } = await twoFullAccounts();
    const restore = withEnv({
      STRIPE_API_BASE_URL: "http://127.0.0.1:9", // nothing listens there: connection refused
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    });
    const db = await getDb();
    try {
      const res = await del(a, { password: PASSWORD });
      expect(res.status).toBe(204);
      expect(Object.values(await rowsOwnedBy(a)).every((n) => n === 0)).toBe(true);
      const lines: string[] = [];
      expect(await drainAccountCleanupJobs(db, { now: soon, log: (l) => lines.push(l) })).toEqual({
        done: 0,
        retried: 2,
      });
      expect(lines.join("\n")).toMatch(/stripe clean-up of deleted user .* failed \(attempt 1\)/);
      const jobs = await db.select().from(accountCleanupJobs).where(eq(accountCleanupJobs.userId, a.id));
      expect(jobs.every((j) => j.status === "pending" && j.attempts === 1 && j.lastError)).toBe(true);
      // Not due again before the backoff.
      expect(await drainAccountCleanupJobs(db, { now: soon, log: () => undefined })).toEqual({ done: 0, retried: 0 });
    } finally {
      restore();
    }
    // The outages are over but OpenAI still fails once more: only that job is retried again.
    openaiFake.get().failNext({ fault: "http500", path: "/vector_stores", times: 2 }); // one attempt and the SDK's retry;
    const later = () => new Date(Date.now() + 31_000);
    expect(await drainAccountCleanupJobs(db, { now: later, log: () => undefined })).toEqual({ done: 1, retried: 1 });
    expect(stripeFake.get().subscription(subA.subscriptionId!)?.status).toBe("canceled");
    const muchLater = () => new Date(Date.now() + 3_600_000);
    expect(await drainAccountCleanupJobs(db, { now: muchLater })).toEqual({ done: 1, retried: 0 });
    expect(openaiFake.get().resources.vectorStores.has(memA.vectorStoreId)).toBe(false);
    expect(openaiFake.get().resources.files.has(memA.fileId)).toBe(false);
  });

  it("acknowledges webhooks that arrive later for the deleted account's subscriptions and changes nothing", async () => {
    const { a, b, subA } = await twoFullAccounts();
    const fake = stripeFake.get();
    const earlier = fake.events().filter((e) => JSON.stringify(e).includes(subA.subscriptionId!));
    expect(earlier.length).toBeGreaterThan(2);
    expect((await del(a, { password: PASSWORD })).status).toBe(204);
    const db = await getDb();
    const agentsOfB = await db.select().from(microAgents).where(eq(microAgents.userId, b.id));
    // A renewal at Stripe before the clean-up ran, then every earlier event redelivered.
    const renewal = fake.renew(subA.subscriptionId!, true).events;
    await fake.settled();
    for (const event of [...earlier, ...renewal]) {
      const delivery = await fake.deliver(event);
      expect(delivery.status).toBe(200);
    }
    expect(await db.select().from(microAgents).where(eq(microAgents.userId, a.id))).toEqual([]);
    expect(await db.select().from(users).where(eq(users.id, a.id))).toEqual([]);
    expect(await db.select().from(microAgents).where(eq(microAgents.userId, b.id))).toEqual(agentsOfB);
  });

  it("ends every way in at once: bearer token, session cookie and password", async () => {
    const a = await account();
    await seedAccountData(a);
    expect((await del({ headers: { cookie: a.cookie } }, { password: PASSWORD })).status).toBe(204);
    expect(await currentUser(request("/", { headers: a.headers }))).toBeNull();
    expect(await currentUser(request("/", { headers: { cookie: a.cookie } }))).toBeNull();
    expect((await overviewRoute(request("/api/account", { headers: a.headers }), undefined)).status).toBe(401);
    const login = await loginRoute(postJson("/api/auth/login", { email: a.email, password: PASSWORD }), undefined);
    expect(login.status).toBe(401);
    // A second deletion with the same credentials finds no account.
    expect((await del(a, { password: PASSWORD })).status).toBe(401);
  });

  it("lets the same email sign up again as a new, empty account", async () => {
    const a = await account();
    await seedAccountData(a);
    await subscribe(a);
    expect((await del(a, { password: PASSWORD })).status).toBe(204);
    const res = await signupRoute(
      postJson("/api/auth/signup", { email: a.email, password: "another password" }),
      undefined,
    );
    expect(res.status).toBe(201);
    const fresh = (await res.json()) as { access_token: string; user: { id: string } };
    expect(fresh.user.id).not.toBe(a.id);
    const doc = await (await exportOf({ authorization: `Bearer ${fresh.access_token}` })).json();
    expect(doc.profile).toMatchObject({ email: a.email, sign_in_methods: ["password"], stripe_customer_id: null });
    for (const key of [
      "facts",
      "threads",
      "feedback",
      "attachments",
      "micro_agents",
      "hosted_chat_sessions",
      "sign_in_sessions",
    ])
      expect(doc[key]).toEqual([]);
  });

  it("confirms an account without a password by its email address, typed in any case", async () => {
    const a = await account({ password: null });
    await seedAccountData(a);
    const wrong = await del(a, { email: "someone.else@example.com" });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ code: "email_mismatch" });
    const withPassword = await del(a, { password: "anything at all" });
    expect(withPassword.status).toBe(400);
    expect(await withPassword.json()).toMatchObject({ code: "email_required" });
    expect((await del(a, { email: `  ${a.email.toUpperCase()} ` })).status).toBe(204);
    expect(Object.values(await rowsOwnedBy(a)).every((n) => n === 0)).toBe(true);
  });

  it.each([
    ["no body", undefined, 400, "invalid_json"],
    ["not JSON", "{password:", 400, "invalid_json"],
    ["a JSON array", [], 422, "validation_error"],
    ["neither field", {}, 422, "validation_error"],
    ["both fields", { password: PASSWORD, email: "x@example.com" }, 422, "validation_error"],
    ["an unknown field", { password: PASSWORD, admin: true }, 422, "validation_error"],
    ["a number as password", { password: 12345678 }, 422, "validation_error"],
    ["an empty password", { password: "" }, 422, "validation_error"],
    ["a 257-character password", { password: "x".repeat(257) }, 422, "validation_error"],
    ["a malformed email", { email: "not-an-email" }, 422, "validation_error"],
    ["an oversized body", { password: "x".repeat(20_000) }, 413, "payload_too_large"],
    ["the wrong password", { password: "wrong password" }, 403, "invalid_password"],
    ["the email instead of the password", { email: "x@example.com" }, 400, "password_required"],
    ["SQL in the password", { password: "' or 1=1; drop table users; --" }, 403, "invalid_password"],
  ])("refuses %s and deletes nothing", async (_label, body, status, code) => {
    const a = await account();
    await seedAccountData(a);
    const res = await deleteRoute(
      request("/api/account/delete", {
        method: "POST",
        headers: { "content-type": "application/json", ...a.headers },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      }),
      undefined,
    );
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ code });
    expect((await rowsOwnedBy(a)).users).toBe(1);
    expect((await rowsOwnedBy(a)).facts).toBe(3);
  });

  it("answers 401 without credentials, and another user's token with this user's password deletes nobody", async () => {
    const a = await account();
    const b = await account({ password: "b's own password" });
    expect((await del(null, { password: PASSWORD })).status).toBe(401);
    const res = await del(b, { password: PASSWORD });
    expect(res.status).toBe(403);
    expect((await rowsOwnedBy(a)).users).toBe(1);
    expect((await rowsOwnedBy(b)).users).toBe(1);
  });

  it("is rate limited like login: the 11th confirmation attempt in the window answers 429", async () => {
    delete process.env.RATE_LIMIT_DISABLED;
    resetEnvCache();
    const a = await account();
    for (let i = 0; i < 10; i++) expect((await del(a, { password: `wrong ${i}` })).status).toBe(403);
    const limited = await del(a, { password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await rowsOwnedBy(a)).users).toBe(1);
  });
});

describe("POST /api/billing/portal", () => {
  it("creates the caller's Stripe customer on demand and answers a portal URL that returns to the dashboard", async () => {
    const a = await account();
    const res = await portalRoute(request("/api/billing/portal", { method: "POST", headers: a.headers }), undefined);
    expect(res.status).toBe(200);
    const { url } = (await res.json()) as { url: string };
    const fake = stripeFake.get();
    const session = fake.portalSession(url.split("/").pop()!);
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, a.id));
    expect(row?.stripeCustomerId).toMatch(/^cus_/);
    expect(session).toMatchObject({ customer: row?.stripeCustomerId, return_url: `${ORIGIN}/dashboard` });
    // A second portal visit reuses the customer.
    const again = await portalRoute(request("/api/billing/portal", { method: "POST", headers: a.headers }), undefined);
    const second = fake.portalSession(((await again.json()) as { url: string }).url.split("/").pop()!);
    expect(second?.customer).toBe(row?.stripeCustomerId);
  });

  it("opens the portal for the caller's own customer only, whoever else is signed in beside", async () => {
    const a = await account();
    const b = await account();
    await subscribe(a);
    const res = await portalRoute(request("/api/billing/portal", { method: "POST", headers: b.headers }), undefined);
    const session = stripeFake.get().portalSession(((await res.json()) as { url: string }).url.split("/").pop()!);
    const db = await getDb();
    const [rowA] = await db.select().from(users).where(eq(users.id, a.id));
    const [rowB] = await db.select().from(users).where(eq(users.id, b.id));
    expect(session?.customer).toBe(rowB?.stripeCustomerId);
    expect(session?.customer).not.toBe(rowA?.stripeCustomerId);
  });

  it("answers 401 without credentials, 502 when Stripe fails, 500 when Stripe is not configured", async () => {
    expect((await portalRoute(request("/api/billing/portal", { method: "POST" }), undefined)).status).toBe(401);
    const a = await account();
    stripeFake.get().failNext("POST", /^\/v1\/billing_portal\/sessions$/, 500);
    const failed = await portalRoute(request("/api/billing/portal", { method: "POST", headers: a.headers }), undefined);
    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({ code: "stripe_unavailable" });
    expect(failed.headers.get("retry-after")).toBe("5");
    const restore = withEnv({ STRIPE_SECRET_KEY: undefined });
    try {
      const off = await portalRoute(request("/api/billing/portal", { method: "POST", headers: a.headers }), undefined);
      expect(off.status).toBe(500);
      expect(await off.json()).toMatchObject({ code: "not_configured" });
    } finally {
      restore();
    }
  });
});

describe("POST /api/account/password", () => {
  it("changes the password: every other session and token ends, this browser gets a working cookie, an email is queued", async () => {
    const a = await account();
    const b = await account();
    const [row] = await (await getDb()).select().from(users).where(eq(users.id, a.id));
    const otherBrowser = await sessionCookieFor(row!);
    const res = await changePassword(
      { cookie: a.cookie },
      { current_password: PASSWORD, new_password: "a new password" },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; user: { id: string } };
    expect(body.user.id).toBe(a.id);
    const setCookie = res.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    const fresh = setCookie[0]!.split(";")[0]!;
    expect(setCookie[0]).toMatch(/^next-auth\.session-token=.+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);

    expect((await overview({ cookie: fresh })).status).toBe(200); // this browser stays signed in
    expect((await overview({ authorization: `Bearer ${body.access_token}` })).status).toBe(200);
    expect((await overview({ cookie: a.cookie })).status).toBe(401); // the cookie it replaced
    expect((await overview({ cookie: otherBrowser })).status).toBe(401);
    expect((await overview(a.headers)).status).toBe(401);
    expect((await overview(b.headers)).status).toBe(200); // the user beside is untouched

    const login = (password: string) =>
      loginRoute(postJson("/api/auth/login", { email: a.email, password }), undefined);
    expect((await login(PASSWORD)).status).toBe(401);
    expect((await login("a new password")).status).toBe(200);
    const mails = await (await getDb()).select().from(outboundEmails).where(eq(outboundEmails.toAddress, a.email));
    expect(mails.map((m) => m.subject)).toContain("Your password was changed");
    expect(mails.find((m) => m.subject === "Your password was changed")?.body).not.toContain("a new password");
  });

  it("over a bearer token, answers a fresh token and sets no cookie", async () => {
    const a = await account();
    const res = await changePassword(a.headers, { current_password: PASSWORD, new_password: "another password" });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    const { access_token } = (await res.json()) as { access_token: string };
    expect((await overview({ authorization: `Bearer ${access_token}` })).status).toBe(200);
    expect((await overview(a.headers)).status).toBe(401);
  });

  it("offers nothing to an account without a password (409 no_password): it sets one through the reset email", async () => {
    const a = await account({ password: null });
    const res = await changePassword(a.headers, { current_password: "whatever it is", new_password: "a new password" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: "no_password" });
    expect((await overview(a.headers)).status).toBe(200);
  });

  it.each([
    ["no body", undefined, 400, "invalid_json"],
    ["not JSON", "{current_password", 400, "invalid_json"],
    ["a missing new password", { current_password: PASSWORD }, 422, "validation_error"],
    ["a 7-character new password", { current_password: PASSWORD, new_password: "short12" }, 422, "validation_error"],
    [
      "a 257-character new password",
      { current_password: PASSWORD, new_password: "x".repeat(257) },
      422,
      "validation_error",
    ],
    ["a number", { current_password: PASSWORD, new_password: 123456789 }, 422, "validation_error"],
    [
      "an unknown field",
      { current_password: PASSWORD, new_password: "a new password", user_id: "x" },
      422,
      "validation_error",
    ],
    ["an oversized body", { current_password: PASSWORD, new_password: "x".repeat(20_000) }, 413, "payload_too_large"],
    [
      "the wrong current password",
      { current_password: "not it", new_password: "a new password" },
      403,
      "invalid_password",
    ],
  ])("refuses %s and changes nothing", async (_label, body, status, code) => {
    const a = await account();
    const res = await passwordRoute(
      request("/api/account/password", {
        method: "POST",
        headers: { "content-type": "application/json", ...a.headers },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      }),
      undefined,
    );
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ code });
    expect((await overview(a.headers)).status).toBe(200); // the token still works: nothing changed
  });

  it("answers 401 without credentials; another user's token with this user's password changes nobody", async () => {
    const a = await account();
    const b = await account({ password: "b's own password" });
    expect((await changePassword({}, { current_password: PASSWORD, new_password: "a new password" })).status).toBe(401);
    const res = await changePassword(b.headers, { current_password: PASSWORD, new_password: "hijacked!!" });
    expect(res.status).toBe(403);
    expect((await overview(a.headers)).status).toBe(200);
    expect((await overview(b.headers)).status).toBe(200);
  });

  it("is rate limited like login: the 11th attempt in the window answers 429", async () => {
    delete process.env.RATE_LIMIT_DISABLED;
    resetEnvCache();
    const a = await account();
    for (let i = 0; i < 10; i++)
      expect(
        (await changePassword(a.headers, { current_password: `wrong ${i}`, new_password: "a new password" })).status,
      ).toBe(403);
    const limited = await changePassword(a.headers, { current_password: PASSWORD, new_password: "a new password" });
    expect(limited.status).toBe(429);
    expect((await overview(a.headers)).status).toBe(200);
  });
});

describe("POST /api/account/sign-out-everywhere", () => {
  it("ends every session and token of the account, this one included, and clears the cookie", async () => {
    const a = await account();
    const b = await account();
    const [row] = await (await getDb()).select().from(users).where(eq(users.id, a.id));
    const otherBrowser = await sessionCookieFor(row!);
    const res = await signOutEverywhereRoute(
      request("/api/account/sign-out-everywhere", { method: "POST", headers: { cookie: a.cookie } }),
      undefined,
    );
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().join("\n")).toMatch(/next-auth\.session-token=;.*Max-Age=0/);
    for (const headers of [{ cookie: a.cookie }, { cookie: otherBrowser }, a.headers])
      expect((await overview(headers)).status).toBe(401);
    expect((await overview(b.headers)).status).toBe(200);
    expect((await overview({ cookie: b.cookie })).status).toBe(200);
    // The password still signs in: only sessions ended.
    expect(
      (await loginRoute(postJson("/api/auth/login", { email: a.email, password: PASSWORD }), undefined)).status,
    ).toBe(200);
  });

  it("answers 401 without credentials or with a token it already ended", async () => {
    const a = await account();
    const call = (headers: Record<string, string>) =>
      signOutEverywhereRoute(request("/api/account/sign-out-everywhere", { method: "POST", headers }), undefined);
    expect((await call({})).status).toBe(401);
    expect((await call(a.headers)).status).toBe(204);
    expect((await call(a.headers)).status).toBe(401);
  });
});
