/**
 * Seeded generator of malformed and hostile requests across every endpoint. The same seed
 * gives the same sequence, so any failure it finds can be replayed.
 */
import { createHmac } from "node:crypto";
import type { ZodType } from "zod";
import {
  forgotPasswordSchema,
  loginSchema,
  resetPasswordSchema,
  signupSchema,
  verifyEmailSchema,
} from "@/lib/auth/credentials";
import { planChangeSchema } from "@/lib/billing/plan-input";
import { subscribeSchema } from "@/lib/billing/subscribe-input";
import { ChatKitReq } from "@/lib/chatkit/types";
import { refreshRequestSchema, sessionRequestSchema } from "@/lib/hosted-sessions/request";
import {
  CHATKIT_BODY_LIMIT,
  DEFAULT_ATTACHMENT_MAX_BYTES,
  DEFAULT_BODY_LIMIT,
  PLAN_CHANGE_BODY_LIMIT,
  WEBHOOK_BODY_LIMIT,
} from "@/lib/http/body-limits";
import { DEFAULT_MESSAGE_MAX_CHARS, DEFAULT_TITLE_MAX_CHARS } from "@/lib/http/model-limits";
import { allowedMethods } from "@/lib/openapi/allowed-methods";
import type { RawRequest } from "./client";

/** mulberry32: small, fast, good enough to pick mutations reproducibly. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof rng>;

/** Ids and credentials the generator mixes in (real ones of two users, and forged ones). */
export type FuzzContext = {
  tokenA: string;
  tokenB: string;
  sessionCookieA?: string;
  threadA: string;
  threadB: string;
  itemA: string;
  factA: string;
  factB: string;
  attachmentA: string;
  microAgentA: string;
  webhookSecret: string;
  jwtSecret: string;
};

// ── hostile values ─────────────────────────────────────────────────
const NASTY_STRINGS = [
  "",
  " ",
  "\ud800",
  "\udfff",
  "a\ud83dz",
  "nul\u0000byte",
  "\u0000",
  "\u202eevil\u202c",
  "\u200f\u200e\u2066x\u2069",
  "👨‍👩‍👧‍👦🏳️‍🌈",
  "\ufeffbom",
  "e\u0301".repeat(500),
  "مرحبا بالعالم",
  "𝕳𝖊𝖑𝖑𝖔",
  "\r\n\r\nHTTP/1.1 200 OK\r\n",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "'; drop table users; --",
  "%s%n%x",
  "../../../../etc/passwd",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "__proto__",
  "constructor",
  "null",
  "NaN",
  "-1",
  "9".repeat(400),
  "fact_00000000",
  "thr_x",
  "00000000-0000-0000-0000-000000000000",
];

function nastyString(r: Rng): string {
  if (r.chance(0.08)) return r.pick(["x", "é", "💥", "\u0000"]).repeat(1000 + r.int(200_000));
  return r.pick(NASTY_STRINGS);
}

function wrongValue(r: Rng): unknown {
  return r.pick<() => unknown>([
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1e308,
    () => -0,
    () => 2 ** 53 + 1,
    () => 3.14,
    () => [],
    () => [1, "a", null],
    () => ({}),
    () => ({ __proto__: { admin: true } }),
    () => JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}') as unknown,
    () => nastyString(r),
    () => Array.from({ length: 5000 }, (_, i) => i),
    () => Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])),
  ])();
}

/** A 100k-deep array or a deep object, as raw JSON text (never built as a JS value). */
function deepJson(r: Rng): string {
  const depth = r.pick([1000, 10_000, 100_000]);
  if (r.chance(0.5)) return "[".repeat(depth) + "]".repeat(depth);
  return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

// ── JSON mutation ──────────────────────────────────────────────────

/** Paths to every value in a JSON tree (objects and arrays descended). */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

function removeAt(root: unknown, path: (string | number)[]): unknown {
  if (path.length === 0) return undefined;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return copy;
}

const DEEP_MARK = "\u0001DEEP\u0001";

/** A body: the valid shape with one to three mutations, as text (maybe not JSON at all). */
function mutatedBody(r: Rng, valid: unknown): string | Buffer {
  const kind = r.int(100);
  if (kind < 12) return brokenJson(r, JSON.stringify(valid));
  if (kind < 16)
    return Buffer.concat([
      Buffer.from('{"x":"'),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
  let body: unknown = valid;
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) {
    const all = paths(body);
    const path = r.pick(all);
    const op = r.int(10);
    if (op < 4) body = setAt(body, path, wrongValue(r));
    else if (op < 6) body = setAt(body, path, nastyString(r));
    else if (op < 8) body = path.length ? removeAt(body, path) : body;
    else if (op < 9) body = setAt(body, path, DEEP_MARK);
    else if (body && typeof body === "object" && !Array.isArray(body))
      body = { ...body, [nastyString(r).slice(0, 64)]: wrongValue(r) };
  }
  let text = JSON.stringify(body) ?? "";
  if (text.includes(JSON.stringify(DEEP_MARK))) text = text.replace(JSON.stringify(DEEP_MARK), deepJson(r));
  return text;
}

function brokenJson(r: Rng, text: string): string {
  return r.pick<() => string>([
    () => text.slice(0, Math.max(1, r.int(text.length))),
    () => `${text}}`,
    () => `${text},`,
    () => text.replace(/"/g, "'"),
    () => "{",
    () => "[",
    () => "null",
    () => "true",
    () => "42",
    () => '"just a string"',
    () => "NaN",
    () => '{"a":1,}',
    () => "\ufeff" + text,
    () => "undefined",
    () => '{"a":"\\ud800"}',
    () => '{"a":"\\u0000"}',
    () => '{"a": 1e999999}',
    () => "]".repeat(10),
    () => "{}".repeat(1000),
  ])();
}

// ── credentials ────────────────────────────────────────────────────
const b64url = (s: string | Buffer) => Buffer.from(s).toString("base64url");

/** A forged bearer token, and whether it is certainly refused (`undefined`: it might pass). */
function forgedToken(r: Rng, ctx: FuzzContext): { token: string; invalid: boolean } {
  const sub = ctx.tokenA
    ? JSON.parse(Buffer.from(ctx.tokenA.split(".")[1] ?? "", "base64url").toString() || "{}").sub
    : "x";
  const now = Math.floor(Date.now() / 1000);
  // `bad`: the claims alone make the token worthless even when signed with our secret.
  const { claims: payload, bad } = r.pick([
    { claims: { sub, exp: now + 3600 }, bad: false },
    { claims: { sub, exp: now - 10 }, bad: true },
    { claims: { sub: "not-a-uuid", exp: now + 3600 }, bad: true },
    { claims: { sub: "00000000-0000-0000-0000-000000000000", exp: now + 3600 }, bad: true },
    { claims: { sub: ["array"], exp: "never" }, bad: true },
    { claims: { sub, exp: now + 3600, ver: "x", tv: -1 }, bad: false },
  ]);
  const sign = (header: object, secret: string) => {
    const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
  };
  const certain = (token: string) => ({ token, invalid: true });
  return r.pick<() => { token: string; invalid: boolean }>([
    () => certain(`${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify(payload))}.`),
    () => certain(sign({ alg: "HS256", typ: "JWT" }, "wrong-secret")),
    () => ({ token: sign({ alg: "HS256", typ: "JWT" }, ctx.jwtSecret), invalid: bad }),
    () => ({ token: sign({ alg: "HS512", typ: "JWT" }, ctx.jwtSecret), invalid: bad }),
    () => ({ token: sign({ alg: "RS256", typ: "JWT", kid: "../../x" }, ctx.jwtSecret), invalid: bad }),
    () => certain(ctx.tokenA.slice(0, -3) + "abc"),
    () => certain(ctx.tokenA + ".extra"),
    () => certain("a.b.c"),
    () => certain("...."),
    () => certain("x".repeat(8000)),
    () => certain(b64url("\u0000\ud800")),
  ])();
}

/** What the credentials of a request amount to: a user's, certainly none, or cannot tell. */
type Credentials = "user" | "none" | "unknown";

function authHeaders(r: Rng, ctx: FuzzContext): { headers: Record<string, string>; credentials: Credentials } {
  const k = r.int(100);
  if (k < 35) return { headers: { authorization: `Bearer ${ctx.tokenA}` }, credentials: "user" };
  if (k < 42) return { headers: { authorization: `Bearer ${ctx.tokenB}` }, credentials: "user" };
  if (k < 55) return { headers: {}, credentials: "none" };
  if (k < 75) {
    const forged = forgedToken(r, ctx);
    return { headers: { authorization: `Bearer ${forged.token}` }, credentials: forged.invalid ? "none" : "unknown" };
  }
  if (k < 82) {
    const [authorization, credentials] = r.pick<[string, Credentials]>([
      ["Bearer", "none"],
      ["Bearer ", "none"],
      ["Basic dXNlcjpwYXNz", "none"],
      ["bearer  " + ctx.tokenA, "user"],
      [`Bearer ${ctx.tokenA} ${ctx.tokenA}`, "none"],
      ["Digest x", "none"],
      ["Bearer \t", "none"],
      ["%00", "none"],
    ]);
    return { headers: { authorization }, credentials };
  }
  if (k < 92) {
    const cookie = garbageCookie(r, ctx);
    return { headers: { cookie: cookie.cookie }, credentials: cookie.session ? "unknown" : "none" };
  }
  return {
    headers: { authorization: `Bearer ${ctx.tokenA}`, cookie: garbageCookie(r, ctx).cookie },
    credentials: "user",
  };
}

/** A hostile Cookie header; `session` when it is in fact user A's real session cookie. */
function garbageCookie(r: Rng, ctx: FuzzContext): { cookie: string; session: boolean } {
  const junk = (cookie: string) => ({ cookie, session: false });
  return r.pick<() => { cookie: string; session: boolean }>([
    () => junk("next-auth.session-token=garbage"),
    () => junk("__Secure-next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z"),
    () => junk("next-auth.session-token.0=aaa; next-auth.session-token.1=bbb"),
    () => junk(`next-auth.session-token=${"A".repeat(6000)}`),
    () => junk("a=b; ; ;=; ==; next-auth.session-token"),
    () => junk("next-auth.session-token=%ff%fe%00"),
    () => junk("next-auth.csrf-token=x%7Cy; next-auth.callback-url=javascript:alert(1)"),
    () => (ctx.sessionCookieA ? { cookie: ctx.sessionCookieA, session: true } : junk("x=y")),
    () => junk(Array.from({ length: 300 }, (_, i) => `c${i}=${i}`).join("; ")),
  ])();
}

function contentType(r: Rng): Record<string, string> {
  const k = r.int(100);
  if (k < 70) return { "content-type": "application/json" };
  if (k < 75) return {};
  return {
    "content-type": r.pick([
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data",
      "multipart/form-data; boundary=",
      "application/json; charset=utf-16",
      "application/json; charset=\u00ff",
      "application/xml",
      "*/*",
      "application/json, text/html",
      ";;;",
    ]),
  };
}

function extraHeaders(r: Rng): Record<string, string | string[]> {
  if (!r.chance(0.25)) return {};
  return r.pick<() => Record<string, string | string[]>>([
    () => ({ "x-giant": "g".repeat(12_000) }),
    () => Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`x-h${i}`, "v".repeat(60)])),
    () => ({ "x-forwarded-for": "1.2.3.4, ' OR 1=1, ::1, 999.999.1.1" }),
    () => ({ "x-forwarded-host": "evil.example", "x-forwarded-proto": "gopher" }),
    () => ({ origin: "https://evil.example" }),
    () => ({ origin: "null" }),
    () => ({ accept: "text/html" }),
    () => ({ accept: "\u00ff\u00fe" }),
    () => ({ "accept-encoding": "gzip;q=-1, br;q=NaN, *;q=2" }),
    () => ({ range: "bytes=-1-2,0-" }),
    () => ({ "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" }),
    () => ({ "x-nextjs-data": "1", rsc: "1", "next-router-state-tree": "%ff" }),
    () => ({ "stripe-signature": "t=1,v1=" + "0".repeat(64) }),
    () => ({ host: "evil.example:99999" }),
    // Spoofed client addresses (rotating, chained, in every header a proxy might use).
    () => ({ "x-forwarded-for": `203.0.113.${r.int(256)}, 10.0.0.${r.int(256)}` }),
    () => ({ "x-real-ip": `198.51.100.${r.int(256)}`, "x-client-socket-address": "6.6.6.6" }),
    () => ({ "x-forwarded-for": Array.from({ length: 200 }, (_, i) => `10.1.${i}.1`).join(", ") }),
    // A browser on another site (or a sibling host) sending a write.
    () => ({ origin: "https://evil.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" }),
    () => ({ origin: "http://sibling.localhost", "sec-fetch-site": "same-site" }),
  ])();
}

// ── endpoints ──────────────────────────────────────────────────────
type Endpoint = {
  name: string;
  method: string;
  path: (r: Rng, ctx: FuzzContext) => string;
  valid?: (r: Rng, ctx: FuzzContext) => unknown;
  /** Weight in the mix (how many requests it gets relative to others). */
  weight: number;
  /** Body limit of the endpoint in bytes (for oversized bodies). */
  limit?: number;
  webhook?: boolean;
  nextAuth?: boolean;
  /** Only for a signed-in caller: a request certainly without credentials must be refused. */
  user?: true;
  /** What the endpoint reads: a JSON body checked by this schema, or raw bytes. Absent: no body. */
  body?: { schema: ZodType; allowEmpty?: true } | "bytes";
};

const PATH_IDS = [
  "..%2F..%2F..%2Fetc%2Fpasswd",
  "%2e%2e",
  "%2e%2e%2f%2e%2e%2fhealth",
  "..%5c..%5cwindows",
  "%00",
  "a%00b",
  "%ff%fe",
  "%E2%80%AE",
  "%F0%9F%92%A5",
  "%ED%A0%80",
  "%25",
  "%zz",
  "'%20OR%201%3D1--",
  "null",
  "undefined",
  "__proto__",
  "0",
  "-1",
  "00000000-0000-0000-0000-000000000000",
  "fact_",
  "fact_0123456789abcdef0123456789abcdef",
];

function hostileId(r: Rng, real: string[]): string {
  const k = r.int(100);
  if (k < 15) return encodeURIComponent(r.pick(real));
  if (k < 25) return "x".repeat(r.pick([300, 2000, 6000]));
  if (k < 30) {
    const s = nastyString(r).slice(0, 500); // encoded, up to 9 bytes each: the request line stays under 16 KB
    try {
      return encodeURIComponent(s);
    } catch {
      return "%ED%A0%80"; // a lone surrogate, as its (invalid) UTF-8 bytes
    }
  }
  return r.pick(PATH_IDS);
}

const userMessage = (text: string) => ({
  content: [{ type: "input_text", text }],
  attachments: [],
  quoted_text: null,
  inference_options: { tool_choice: null, model: null },
});

/** Each ChatKit request type with plausible params (ids of user A, or another user's). */
/** Return-to values a browser would turn into another host, or that break a Location header. */
const RETURN_TO_ATTACKS = [
  "/%09/evil.example/x",
  "/%0d%0a/evil.example",
  "/%0aSet-Cookie:%20a=b",
  "/%5Cevil.example",
  "/.//evil.example",
  "//evil.example",
  "/%00",
  "%2F%09%2Fevil.example",
];

function chatkitValid(r: Rng, ctx: FuzzContext): unknown {
  const thread = r.pick([ctx.threadA, ctx.threadA, ctx.threadB, "thr_missing"]);
  const types: [string, () => unknown][] = [
    ["threads.create", () => ({ input: userMessage(r.pick(["hello", "[deltas:2]", "My name is Kaz"])) })],
    // A message over the text cap (up to 7.5 MiB, under the body limit): refused before any stream.
    [
      "threads.create",
      () => ({
        input: userMessage("m".repeat(r.pick([DEFAULT_MESSAGE_MAX_CHARS + 1, 1024 * 1024, 7.5 * 1024 * 1024]))),
      }),
    ],
    [
      "threads.update",
      () => ({ thread_id: thread, title: "t".repeat(r.pick([DEFAULT_TITLE_MAX_CHARS + 1, 2_000_000])) }),
    ],
    ["threads.add_user_message", () => ({ thread_id: thread, input: userMessage("[deltas:2] hi") })],
    ["threads.add_client_tool_output", () => ({ thread_id: thread, result: { ok: true } })],
    [
      "threads.add_structured_input",
      () => ({ thread_id: thread, item_id: ctx.itemA, input: { status: "answered", answers: {} } }),
    ],
    ["threads.retry_after_item", () => ({ thread_id: thread, item_id: ctx.itemA })],
    [
      "threads.custom_action",
      () => ({ thread_id: thread, item_id: ctx.itemA, action: { type: "fact.save", payload: { fact_id: ctx.factA } } }),
    ],
    [
      "threads.sync_custom_action",
      () => ({
        thread_id: thread,
        item_id: ctx.itemA,
        action: { type: "fact.discard", payload: { fact_id: ctx.factB } },
      }),
    ],
    ["threads.get_by_id", () => ({ thread_id: thread })],
    ["threads.list", () => ({ limit: 5, order: "desc", after: null })],
    ["threads.update", () => ({ thread_id: thread, title: "t" })],
    ["threads.delete", () => ({ thread_id: r.pick([ctx.threadB, "thr_missing"]) })],
    ["items.list", () => ({ thread_id: thread, limit: 5, order: "asc", after: null })],
    ["items.feedback", () => ({ thread_id: thread, item_ids: [ctx.itemA], kind: "positive" })],
    ["attachments.create", () => ({ name: "a.txt", size: 3, mime_type: "text/plain" })],
    ["attachments.delete", () => ({ attachment_id: r.pick([ctx.attachmentA, "atc_missing"]) })],
    ["input.transcribe", () => ({ audio_base64: "AAAA", mime_type: "audio/webm" })],
  ];
  const [type, params] = r.pick(types);
  return { type, params: params(), metadata: {} };
}

function stripeEvent(r: Rng, ctx: FuzzContext): unknown {
  const type = r.pick([
    "checkout.session.completed",
    "invoice.paid",
    "invoice.payment_failed",
    "customer.subscription.deleted",
    "customer.subscription.updated",
    "customer.subscription.created",
    "checkout.session.expired",
    "unknown.event",
  ]);
  return {
    id: `evt_fuzz_${r.int(1e9)}`,
    object: "event",
    type,
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: r.pick(["sub_fuzz", "cs_fuzz", "in_fuzz"]),
        object: "subscription",
        status: r.pick(["active", "past_due", "canceled", "weird"]),
        subscription: "sub_fuzz",
        metadata: {
          micro_agent_id: r.pick([ctx.microAgentA, "not-a-uuid", "00000000-0000-0000-0000-000000000000"]),
          user_id: "x",
        },
        items: { data: [{ current_period_end: 1e12, price: { id: "price_x" } }] },
        parent: { subscription_details: { subscription: "sub_fuzz", metadata: {} } },
      },
    },
  };
}

const ENDPOINTS: Endpoint[] = [
  { name: "GET /health", method: "GET", path: () => "/health", weight: 2 },
  {
    name: "POST /chatkit",
    user: true,
    body: { schema: ChatKitReq },
    method: "POST",
    path: () => "/chatkit",
    valid: chatkitValid,
    weight: 30,
    limit: CHATKIT_BODY_LIMIT,
  },
  {
    name: "POST /chatkit/attachments/{id}/upload",
    user: true,
    body: "bytes",
    method: "POST",
    path: (r, c) => `/chatkit/attachments/${hostileId(r, [c.attachmentA])}/upload`,
    valid: () => "file bytes",
    weight: 4,
    limit: DEFAULT_ATTACHMENT_MAX_BYTES,
  },
  {
    name: "PUT /chatkit/attachments/{id}/upload",
    user: true,
    body: "bytes",
    method: "PUT",
    path: (r, c) => `/chatkit/attachments/${hostileId(r, [c.attachmentA])}/upload`,
    valid: () => "file bytes",
    weight: 2,
    limit: DEFAULT_ATTACHMENT_MAX_BYTES,
  },
  {
    name: "GET /chatkit/attachments/{id}/content",
    user: true,
    method: "GET",
    path: (r, c) => `/chatkit/attachments/${hostileId(r, [c.attachmentA])}/content`,
    weight: 3,
  },
  {
    name: "POST /api/chatkit/session",
    user: true,
    body: { schema: sessionRequestSchema, allowEmpty: true },
    method: "POST",
    path: () => "/api/chatkit/session",
    valid: (r) => ({
      workflow_id: "wf_x",
      workflow_version: r.pick(["1", null]),
      state_variables: { a: 1, b: "x", c: true },
    }),
    weight: 5,
  },
  {
    name: "POST /api/chatkit/refresh",
    user: true,
    body: { schema: refreshRequestSchema, allowEmpty: true },
    method: "POST",
    path: () => "/api/chatkit/refresh",
    valid: () => ({ session_id: "cksess_x", workflowId: "wf_x", stateVariables: { k: "v" } }),
    weight: 5,
  },
  { name: "GET /facts", method: "GET", path: () => "/facts", weight: 4, user: true },
  {
    name: "POST /facts/{id}/save",
    user: true,
    method: "POST",
    path: (r, c) => `/facts/${hostileId(r, [c.factA, c.factB])}/save`,
    weight: 5,
  },
  {
    name: "POST /facts/{id}/discard",
    user: true,
    method: "POST",
    path: (r, c) => `/facts/${hostileId(r, [c.factB, c.factA])}/discard`,
    weight: 4,
  },
  {
    name: "POST /api/auth/signup",
    body: { schema: signupSchema },
    method: "POST",
    path: () => "/api/auth/signup",
    valid: (r) => ({ email: `fz${r.int(1e9)}@example.com`, password: "password123" }),
    weight: 5,
  },
  {
    name: "POST /api/auth/login",
    body: { schema: loginSchema },
    method: "POST",
    path: () => "/api/auth/login",
    valid: () => ({ email: "nobody@example.com", password: "password123" }),
    weight: 5,
  },
  {
    name: "POST /api/auth/forgot-password",
    body: { schema: forgotPasswordSchema },
    method: "POST",
    path: () => "/api/auth/forgot-password",
    valid: () => ({ email: "nobody@example.com" }),
    weight: 4,
  },
  {
    name: "POST /api/auth/reset-password",
    body: { schema: resetPasswordSchema },
    method: "POST",
    path: () => "/api/auth/reset-password",
    valid: () => ({ token: "t".repeat(43), password: "password123" }),
    weight: 4,
  },
  { name: "GET /api/auth/me", method: "GET", path: () => "/api/auth/me", weight: 4, user: true },
  {
    name: "POST /api/auth/token",
    user: true,
    method: "POST",
    path: () => "/api/auth/token",
    valid: () => ({}),
    weight: 3,
  },
  {
    name: "GET /api/auth/oauth/{provider}",
    method: "GET",
    path: (r) =>
      `/api/auth/oauth/${r.pick(["google", "apple", "github", "%00", "..%2Fsignup", "x".repeat(3000), "GOOGLE"])}${r.pick(["", "?callbackUrl=javascript:alert(1)", "?callbackUrl=https://evil.example", "?callbackUrl=%ff", ...RETURN_TO_ATTACKS.map((a) => `?callbackUrl=${a}`)])}`,
    weight: 3,
  },
  {
    name: "GET /login and /signup with a return-to",
    method: "GET",
    path: (r) => `/${r.pick(["login", "signup"])}?callbackUrl=${r.pick(RETURN_TO_ATTACKS)}`,
    weight: 2,
  },
  {
    name: "POST /api/auth/verify-email",
    body: { schema: verifyEmailSchema },
    method: "POST",
    path: () => "/api/auth/verify-email",
    valid: () => ({ token: "not-a-real-token" }),
    weight: 2,
  },
  {
    name: "POST /api/auth/verify-email/resend",
    user: true,
    method: "POST",
    path: () => "/api/auth/verify-email/resend",
    valid: () => ({}),
    weight: 1,
  },
  {
    name: "next-auth GET",
    method: "GET",
    nextAuth: true,
    path: (r) =>
      `/api/auth/${r.pick([
        "session",
        "csrf",
        "providers",
        "signin",
        "signin/google",
        "signin/credentials",
        "signout",
        "error?error=%3Cscript%3E",
        "callback/google?code=x&state=y",
        "callback/apple?code=%00",
        "callback/credentials",
        "callback/nope",
        "_log",
        "verify-request",
        "nonexistent",
        "session/%2e%2e",
      ])}`,
    weight: 4,
  },
  {
    name: "next-auth POST",
    method: "POST",
    nextAuth: true,
    path: (r) =>
      `/api/auth/${r.pick(["callback/credentials", "callback/apple", "signin/google", "signout", "_log", "session", "callback/nope"])}`,
    valid: () => ({ csrfToken: "x", email: "nobody@example.com", password: "password123", json: "true" }),
    weight: 4,
  },
  {
    name: "POST /api/microagents/subscribe",
    user: true,
    body: { schema: subscribeSchema },
    method: "POST",
    path: () => "/api/microagents/subscribe",
    valid: (r) => ({
      agent_name: "Agent",
      workflow_id: r.pick(["wf_inbox_triage", "wf_meeting_notes", "wf_x"]),
      price_id: r.pick([
        "price_inbox_triage_monthly",
        "price_inbox_triage_yearly",
        "price_missing",
        "price_one_time",
        "price_retired",
        "price_unlisted_monthly",
      ]),
    }),
    weight: 4,
  },
  { name: "GET /api/microagents/me", method: "GET", path: () => "/api/microagents/me", weight: 3, user: true },
  { name: "GET /api/microagents/catalogue", method: "GET", path: () => "/api/microagents/catalogue", weight: 2 },
  {
    name: "POST /api/microagents/{id}/plan",
    user: true,
    body: { schema: planChangeSchema },
    method: "POST",
    path: (r, c) => `/api/microagents/${hostileId(r, [c.microAgentA])}/plan`,
    valid: (r) => ({
      price_id: r.pick(["price_inbox_triage_yearly", "price_meeting_notes_monthly", "price_missing", "price_one_time"]),
    }),
    weight: 3,
    limit: PLAN_CHANGE_BODY_LIMIT,
  },
  {
    name: "POST /api/microagents/{id}/cancel",
    user: true,
    method: "POST",
    path: (r, c) => `/api/microagents/${hostileId(r, [c.microAgentA])}/cancel`,
    weight: 4,
  },
  {
    name: "POST /api/webhooks/stripe",
    method: "POST",
    path: () => "/api/webhooks/stripe",
    valid: stripeEvent,
    webhook: true,
    weight: 6,
    limit: WEBHOOK_BODY_LIMIT,
  },
];

const TOTAL_WEIGHT = ENDPOINTS.reduce((s, e) => s + e.weight, 0);

function pickEndpoint(r: Rng): Endpoint {
  let x = r.next() * TOTAL_WEIGHT;
  for (const e of ENDPOINTS) {
    x -= e.weight;
    if (x < 0) return e;
  }
  return ENDPOINTS[0]!;
}

/**
 * A generated request. `refuse` says why the server must refuse it (a 4xx) when that is
 * certain: no credentials on a signed-in endpoint, an oversized body, a body its endpoint's own
 * schema rejects, an unsigned or stale webhook. Absent, any answer but a 5xx may be right.
 */
export type Generated = RawRequest & { endpoint: string; label: string; refuse?: string };

const utf8 = new TextDecoder();

function expectation(
  e: Endpoint,
  credentials: Credentials,
  body: string | Buffer | undefined,
  label: string,
  signature: "valid" | "stale" | "bad" | "none",
): string | undefined {
  if (e.nextAuth) return undefined; // next-auth's own routes answer with redirects, outside our contract
  if (e.user && credentials === "none") return "no credentials";
  if (label === "oversized" && e.body) return "body over the limit";
  // Decoded as the server reads a body: UTF-8, a leading byte-order mark dropped.
  const text = body === undefined ? "" : utf8.decode(typeof body === "string" ? Buffer.from(body) : body);
  if (e.webhook) {
    if (signature !== "valid") return `webhook with a ${signature === "stale" ? "stale" : "missing or bad"} signature`;
    try {
      const event = JSON.parse(text) as { id?: unknown; type?: unknown; data?: { object?: unknown } } | null;
      const ok =
        typeof event?.id === "string" && typeof event.type === "string" && typeof event.data?.object === "object";
      return ok ? undefined : "signed body that is no Stripe event";
    } catch {
      return "signed body that is not JSON";
    }
  }
  if (!e.body || e.body === "bytes") return undefined;
  let value: unknown = {};
  if (text.trim() === "") {
    if (!e.body.allowEmpty) return "empty body";
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      return "body that is not JSON";
    }
  }
  return e.body.schema.safeParse(value).success ? undefined : "body its endpoint's schema rejects";
}

/** Input the security rules must refuse whatever the credentials: cross-site writes, oversized messages and titles. */
function securityExpectation(
  e: Endpoint,
  headers: Record<string, string | string[]>,
  body: string | Buffer | undefined,
  label: string,
): string | undefined {
  const crossSite = headers["sec-fetch-site"] === "cross-site" || headers["sec-fetch-site"] === "same-site";
  if (crossSite && e.method !== "GET" && !headers.authorization && !e.nextAuth && !e.webhook) return "cross-site write";
  if (e.name === "POST /chatkit" && label === "plausible" && typeof body === "string") {
    if (body.length > DEFAULT_MESSAGE_MAX_CHARS && body.includes('"threads.create"')) return "message over the cap";
    if (body.length > DEFAULT_TITLE_MAX_CHARS + 40 && body.includes('"threads.update"')) return "title over the cap";
  }
  return undefined;
}

function oversized(r: Rng, limit: number): Buffer {
  const size = limit + 1 + r.int(1024);
  const buf = Buffer.alloc(size, 0x20);
  buf.write('{"a":"', 0);
  buf.write('"}', size - 2);
  buf.fill("x", 6, size - 2);
  return buf;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Requests refused before any route runs: a method the path does not answer (the proxy's JSON
 * 405), a method HTTP does not know and headers over Node's 16 KB limit (the parser's JSON 400
 * and 431, lib/http/client-errors.ts). Bodiless, so the server's early close cuts nothing short.
 */
function refusedBeforeRoutes(r: Rng, e: Endpoint, ctx: FuzzContext): Generated | undefined {
  const k = r.int(100);
  if (k >= 5) return undefined;
  const path = e.path(r, ctx);
  const base = { path, endpoint: e.name, headers: authHeaders(r, ctx).headers };
  if (k < 3) {
    // Pages answer every method; only API paths have a method list (/chatkit, which the proxy
    // skips, answers the same 405 from its route file).
    const pathname = new URL(path, "http://fuzz.invalid").pathname;
    const allowed = allowedMethods(pathname);
    if (!allowed) return undefined;
    const method = r.pick(METHODS.filter((m) => !allowed.includes(m)));
    return { ...base, method, label: "wrong-method", refuse: "a method the path does not answer" };
  }
  if (k < 4)
    return {
      ...base,
      method: r.pick(["BREW", "PROPFIX", "GETT"]),
      label: "unknown-method",
      refuse: "a method HTTP does not know",
    };
  return {
    ...base,
    method: e.method,
    headers: { ...base.headers, "x-giant": "g".repeat(16_500 + r.int(8_000)) },
    label: "giant-headers",
    refuse: "headers over 16 KB",
  };
}

/** The `i`-th request of the sequence seeded with `seed`. */
export function generate(seed: number, i: number, ctx: FuzzContext): Generated {
  const r = rng(seed * 1_000_003 + i);
  const e = pickEndpoint(r);
  // Its own random stream: every other request of a seed stays what it was before these shapes.
  const early = refusedBeforeRoutes(rng((seed * 1_000_003 + i) ^ 0x5bd1e995), e, ctx);
  if (early) return early;
  const auth = authHeaders(r, ctx);
  const headers: Record<string, string | string[]> = { ...auth.headers, ...extraHeaders(r) };
  let body: string | Buffer | undefined;
  let label = "headers";
  let signature: "valid" | "stale" | "bad" | "none" = "none";
  if (e.method !== "GET") {
    const valid = e.valid?.(r, ctx) ?? {};
    const k = r.int(1000);
    if (k < 6) {
      body = oversized(r, e.limit ?? DEFAULT_BODY_LIMIT);
      label = "oversized";
    } else if (k < 60) {
      body = deepJson(r);
      label = "deep";
    } else if (k < 120) {
      body = typeof valid === "string" ? valid : JSON.stringify(valid);
      label = "plausible";
    } else if (k < 160) {
      body = undefined;
      label = "no-body";
    } else {
      body = typeof valid === "string" ? nastyString(r) : mutatedBody(r, valid);
      label = "mutated";
    }
    Object.assign(headers, contentType(r));
    if (e.nextAuth && r.chance(0.5)) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams({
        csrfToken: nastyString(r).slice(0, 100),
        email: nastyString(r).slice(0, 300),
        password: "x",
        json: "true",
      }).toString();
    }
    if (e.webhook) {
      const payload = body ?? "";
      const k2 = r.int(10);
      if (k2 < 6) {
        const fresh = r.chance(0.8);
        const t = fresh ? Math.floor(Date.now() / 1000) : r.pick([0, -1, 1e12]);
        // A timestamp in the past is stale; one far in the future is as good as its signature.
        signature = fresh || t > 0 ? "valid" : "stale";
        const sig = createHmac("sha256", ctx.webhookSecret)
          .update(Buffer.concat([Buffer.from(`${t}.`), Buffer.from(payload)]))
          .digest("hex");
        headers["stripe-signature"] = `t=${t},v1=${sig}`;
        label += "+signed";
      } else if (k2 < 8) {
        headers["stripe-signature"] = r.pick(["", "t=,v1=", "garbage", "t=1,v1=zz,v0=00", "v1=" + "a".repeat(5000)]);
        signature = "bad";
      }
    }
  }
  const refuse =
    expectation(e, auth.credentials, body, label, signature) ?? securityExpectation(e, headers, body, label);
  if (r.chance(0.03)) {
    // A query string that is itself hostile.
    return {
      refuse,
      method: e.method,
      path: `${e.path(r, ctx)}${r.pick(["?a=%ff", "?__proto__[x]=1", "?" + "q=1&".repeat(500), "?%00"])}`,
      headers,
      body,
      endpoint: e.name,
      label: `${label}+query`,
    };
  }
  return { method: e.method, path: e.path(r, ctx), headers, body, endpoint: e.name, label, refuse };
}
