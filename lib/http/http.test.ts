import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { resetEnvCache } from "@/lib/env";
import { AppError, notFound, parseJson, preflight, route, tooManyRequests } from "./index";

const schema = z.object({ email: z.email(), age: z.number().int().optional() });
const post = (body: string, headers: Record<string, string> = {}) =>
  new Request("http://app/x", { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

const echo = route(async (request: Request) => Response.json(await parseJson(request, schema, { limit: 200 })));

afterEach(() => {
  delete process.env.APP_BASE_URL;
  delete process.env.ALLOWED_ORIGIN_REGEX;
  resetEnvCache();
});

describe("error contract", () => {
  it("answers malformed JSON with 400 invalid_json", async () => {
    const res = await echo(post("{nope"), undefined);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_json", detail: expect.any(String) });
  });

  it("answers schema failures with 422 and the issues by path", async () => {
    const res = await echo(post(JSON.stringify({ email: "not-an-email", age: "x" })), undefined);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; issues: { path: string }[] };
    expect(body.code).toBe("validation_error");
    expect(body.issues.map((i) => i.path).sort()).toEqual(["age", "email"]);
  });

  it("answers oversized bodies with 413 before parsing", async () => {
    const res = await echo(post(JSON.stringify({ email: "a@b.co", pad: "x".repeat(500) })), undefined);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("payload_too_large");
  });

  it("answers an empty body with 400", async () => {
    const res = await echo(post(""), undefined);
    expect(res.status).toBe(400);
  });

  it("passes a valid body through", async () => {
    const res = await echo(post(JSON.stringify({ email: "a@b.co" })), undefined);
    expect(await res.json()).toEqual({ email: "a@b.co" });
  });

  it("turns typed app errors into their status, detail and headers", async () => {
    const res = await route(() => {
      throw tooManyRequests(12.2);
    })(post("{}"), undefined);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("13");
    const nf = await route(() => {
      throw notFound("Fact not found");
    })(post("{}"), undefined);
    expect(await nf.json()).toEqual({ detail: "Fact not found", code: "not_found", request_id: expect.any(String) });
  });

  it("gives every answer an x-request-id (kept from the request when safe) and every error body the same request_id", async () => {
    const failing = route(() => {
      throw notFound("Fact not found");
    });
    const fresh = await failing(post("{}"), undefined);
    const id = fresh.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await fresh.json()) as { request_id: string }).request_id).toBe(id);
    const kept = await failing(post("{}", { "x-request-id": "lb-7f3a" }), undefined);
    expect(kept.headers.get("x-request-id")).toBe("lb-7f3a");
    expect(await kept.json()).toMatchObject({ request_id: "lb-7f3a" });
    const ok = await echo(post('{"email":"a@b.co"}', { "x-request-id": "lb-ok" }), undefined);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-request-id")).toBe("lb-ok");
  });

  it("hides unexpected errors behind a generic 500 without a stack trace", async () => {
    const res = await route(() => {
      throw new Error("secret internals at /srv/app.ts:12");
    })(post("{}"), undefined);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(JSON.parse(text)).toEqual({
      detail: "Internal server error",
      code: "internal_error",
      request_id: expect.any(String),
    });
  });

  it("maps a database connection failure to 503", async () => {
    const res = await route(() => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    })(post("{}"), undefined);
    expect(res.status).toBe(503);
  });

  it("answers text PostgreSQL refuses (NUL, lone surrogates in jsonb) with 400, not 500", async () => {
    const wrapped = (code: string, message: string) =>
      route(() => {
        throw Object.assign(new Error("Failed query: insert ..."), {
          cause: Object.assign(new Error(message), { code }),
        });
      })(post("{}"), undefined);
    for (const [code, message] of [
      ["22021", 'invalid byte sequence for encoding "UTF8": 0x00'],
      ["22P05", "unsupported Unicode escape sequence"],
      ["22P02", "invalid input syntax for type json"],
    ] as const) {
      const res = await wrapped(code, message);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: "unsupported_characters" });
    }
    // Other data errors stay our fault.
    expect((await wrapped("22P02", 'invalid input syntax for type uuid: "x"')).status).toBe(500);
  });

  it("keeps 401 answers carrying WWW-Authenticate: Bearer", async () => {
    const res = await route(() => {
      throw new AppError(401, "unauthorized", "Not authenticated", {}, { "WWW-Authenticate": "Bearer" });
    })(post("{}"), undefined);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });
});

describe("CORS", () => {
  const ok = route(() => Response.json({ ok: true }));

  it("allows APP_BASE_URL with credentials", async () => {
    process.env.APP_BASE_URL = "https://app.example.com";
    resetEnvCache();
    const res = await ok(post("{}", { origin: "https://app.example.com" }), undefined);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("allows origins matching ALLOWED_ORIGIN_REGEX", async () => {
    process.env.ALLOWED_ORIGIN_REGEX = "^https://[a-z0-9-]+\\.vercel\\.app$";
    resetEnvCache();
    const res = await ok(post("{}", { origin: "https://pr-12.vercel.app" }), undefined);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://pr-12.vercel.app");
  });

  it("allows localhost origins outside production", async () => {
    const res = await ok(post("{}", { origin: "http://localhost:3000" }), undefined);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
  });

  it("gives other origins no CORS headers", async () => {
    const res = await ok(post("{}", { origin: "https://evil.example" }), undefined);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers preflight for allowed origins and stays silent for others", () => {
    const allowed = preflight(
      new Request("http://app/x", {
        method: "OPTIONS",
        headers: { origin: "http://127.0.0.1:3000", "access-control-request-headers": "authorization" },
      }),
    );
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-methods")).toContain("POST");
    const denied = preflight(
      new Request("http://app/x", { method: "OPTIONS", headers: { origin: "https://evil.example" } }),
    );
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("client aborts", () => {
  it("answers a request the client abandoned mid-body with a quiet 400, not a logged 500", async () => {
    const res = await route(() => {
      throw Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    })(post("{}"), undefined);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("request_aborted");
  });
});
