/** A small client of the app for the resilience cases: raw HTTP, accounts, ChatKit calls. */
import http from "node:http";
import zlib from "node:zlib";
import { randomUUID } from "node:crypto";
import { parseSse, type SseEvent } from "@/e2e/support/sse";

export type RawRequest = {
  method: string;
  /** Sent as is: no normalisation or encoding by the client. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
};
export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; error?: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request over node:http (which, unlike fetch, lets us send odd paths and headers). */
export function raw(base: string, req: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: req.headers,
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: decode(res.headers["content-encoding"], Buffer.concat(chunks)),
          }),
        );
        res.on("error", (err) =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            error: String(err),
          }),
        );
      },
    );
    r.on("timeout", () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on("error", (err) => resolve({ status: 0, headers: {}, body: Buffer.alloc(0), error: String(err) }));
    if (req.body !== undefined) r.end(req.body);
    else r.end();
  });
}

function decode(encoding: string | undefined, body: Buffer): Buffer {
  try {
    if (encoding === "gzip") return zlib.gunzipSync(body);
    if (encoding === "br") return zlib.brotliDecompressSync(body);
    if (encoding === "deflate") return zlib.inflateSync(body);
  } catch {
    // leave it as sent; the check will show the bytes
  }
  return body;
}

export const PASSWORD = "correct horse battery staple";

export type Account = { email: string; token: string; userId: string; auth: Record<string, string> };

/**
 * A real browser session cookie for the account, through next-auth's credentials sign-in (the
 * server records the session, so a cookie sealed anywhere else would not be accepted).
 */
export async function signInCookie(base: string, email: string): Promise<string | undefined> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD, json: "true" }),
  });
  return jar(res).find((c) => c.includes("session-token="));
}

export async function signUp(base: string, prefix = "res"): Promise<Account> {
  const email = `${prefix}-${randomUUID().slice(0, 12)}@example.com`;
  const res = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const body = (await res.json()) as { access_token: string; user: { id: string } };
  if (res.status !== 201) throw new Error(`signup answered ${res.status}: ${JSON.stringify(body)}`);
  return {
    email,
    token: body.access_token,
    userId: body.user.id,
    auth: { authorization: `Bearer ${body.access_token}` },
  };
}

export type ChatKitAnswer = { status: number; events?: SseEvent[]; json?: Record<string, unknown>; text: string };

/** POST /chatkit with a `{type, params}` envelope; SSE answers are parsed into events. */
export async function chatkit(
  base: string,
  account: Account,
  type: string,
  params: unknown,
  timeoutMs = 30_000,
): Promise<ChatKitAnswer> {
  const res = await fetch(`${base}/chatkit`, {
    method: "POST",
    headers: { "content-type": "application/json", ...account.auth },
    body: JSON.stringify({ type, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (res.headers.get("content-type")?.startsWith("text/event-stream"))
    return { status: res.status, events: parseSse(text), text };
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

export { userInput } from "@/e2e/support/chatkit/fixtures";

/** The thread id from a streamed answer's `thread.created` event. */
export function threadIdOf(events: SseEvent[] | undefined): string | undefined {
  const created = events?.find((e) => e.type === "thread.created") as { thread?: { id?: string } } | undefined;
  return created?.thread?.id;
}

/** The first fact id carried by a widget action in the stream (the fact card's Save button). */
export function factIdOf(events: SseEvent[] | undefined): string | undefined {
  const text = JSON.stringify(events ?? []);
  return /"fact_id":"(fact_[0-9a-f]+)"/.exec(text)?.[1];
}

/** The widget item carrying the fact card, for threads.custom_action's item_id. */
export function widgetItemIdOf(events: SseEvent[] | undefined): string | undefined {
  for (const e of events ?? []) {
    const item = (e as { item?: { id?: string; type?: string } }).item;
    if (e.type === "thread.item.done" && item?.type === "widget") return item.id;
  }
  return undefined;
}

/** JSON helper: fetch with a bearer token, answering status and parsed body. */
export async function call(base: string, method: string, path: string, account?: Account, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(account?.auth ?? {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json: json as Record<string, unknown> | undefined, text };
}

/** The user message item of a streamed answer, for threads.retry_after_item. */
export function userItemIdOf(events: SseEvent[] | undefined): string | undefined {
  for (const e of events ?? []) {
    const item = (e as { item?: { id?: string; type?: string } }).item;
    if (e.type === "thread.item.done" && item?.type === "user_message") return item.id;
  }
  return undefined;
}
