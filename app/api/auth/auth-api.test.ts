/** The JSON auth API (signup, login, forgot/reset password, me, token) against a real database. */
import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import bcrypt from "bcryptjs";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { outboundEmails, passwordResetTokens, rateLimits, users } from "@/db/schema";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser } from "@/e2e/support/users";
import { issueAccessToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from "@/lib/auth/access-token";
import { hashResetToken } from "@/lib/auth/password-reset";
import { sessionCookieFor } from "@/lib/auth/session-cookie";
import { resetEnvCache } from "@/lib/env";
import { POST as forgotPassword } from "./forgot-password/route";
import { POST as login } from "./login/route";
import { GET as me } from "./me/route";
import { POST as resetPasswordRoute } from "./reset-password/route";
import { POST as signup } from "./signup/route";
import { POST as tokenRoute } from "./token/route";

useTestDatabase({ APP_BASE_URL: "https://app.example.test", JWT_SECRET: "unit-test-secret-0123456789abcdef0123" });

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });

async function signupUser(email: string, password = "correct horse battery") {
  const res = await signup(post("/api/auth/signup", { email, password }), undefined);
  expect(res.status).toBe(201);
  return (await res.json()) as { access_token: string; user: { id: string; email: string } };
}

/** The newest reset link queued for the address; forgot-password queues it after answering, so wait for it. */
async function latestResetLink(email: string, after = 0): Promise<string> {
  const db = await getDb();
  for (let attempt = 0; attempt < 100; attempt++) {
    const rows = await db.select().from(outboundEmails).where(eq(outboundEmails.toAddress, email));
    const resets = rows.filter((r) => r.subject === "Reset your password");
    const last = resets.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
    const match = /(https:\/\/\S+reset-password\?token=\S+)/.exec(last?.body ?? "");
    if (match?.[1] && resets.length > after) return match[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no reset link queued");
}
const tokenOf = (link: string) => new URL(link).searchParams.get("token") ?? "";

beforeEach(async () => {
  process.env.RATE_LIMIT_DISABLED = "1";
  resetEnvCache();
});

describe("POST /api/auth/signup", () => {
  it("creates the account and answers 201 with a TokenResponse and no password hash", async () => {
    const res = await signup(
      post("/api/auth/signup", { email: "  New.User@Example.COM ", password: "password123" }),
      undefined,
    );
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(["access_token", "token_type", "user"]);
    expect(body.token_type).toBe("bearer");
    expect(Object.keys(body.user).sort()).toEqual(["created_at", "email", "email_verified", "id", "updated_at"]);
    expect(body.user.email).toBe("new.user@example.com");
    expect(JSON.stringify(body)).not.toMatch(/\$2[aby]\$/);
    const meRes = await me(get("/api/auth/me", { authorization: `Bearer ${body.access_token}` }), undefined);
    expect((await meRes.json()).id).toBe(body.user.id);
  });

  it("answers 400 'Email already registered' for a taken address, whatever its case", async () => {
    await signupUser("taken@example.com");
    const res = await signup(
      post("/api/auth/signup", { email: "TAKEN@example.com", password: "password123" }),
      undefined,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ detail: "Email already registered" });
  });

  it.each([
    ["a short password", { email: "a@example.com", password: "short" }],
    ["a 257-character password", { email: "a@example.com", password: "x".repeat(257) }],
    ["an invalid email", { email: "not-an-email", password: "password123" }],
    ["a very long email", { email: `${"a".repeat(400)}@example.com`, password: "password123" }],
    ["SQL-ish text as email", { email: "x' OR '1'='1", password: "password123" }],
    ["a missing password", { email: "a@example.com" }],
    ["a number as email", { email: 42, password: "password123" }],
  ])("rejects %s with 422 and writes nothing", async (_name, body) => {
    const res = await signup(post("/api/auth/signup", body), undefined);
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe("validation_error");
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.email, "a@example.com"))).toHaveLength(0);
  });

  it("answers 400 for malformed JSON and for an empty body, 413 for an oversized one", async () => {
    expect((await signup(post("/api/auth/signup", "{nope"), undefined)).status).toBe(400);
    expect((await signup(post("/api/auth/signup", ""), undefined)).status).toBe(400);
    const huge = JSON.stringify({ email: "big@example.com", password: "p".repeat(20_000) });
    expect((await signup(post("/api/auth/signup", huge), undefined)).status).toBe(413);
  });

  it("accepts unicode passwords and logs in with them", async () => {
    await signupUser("unicode@example.com", "pässwörd-密码-🔑");
    const res = await login(
      post("/api/auth/login", { email: "unicode@example.com", password: "pässwörd-密码-🔑" }),
      undefined,
    );
    expect(res.status).toBe(200);
  });
});

describe("POST /api/auth/login", () => {
  it("answers 200 with a TokenResponse for the right password, with a trimmed, lower-cased email", async () => {
    const created = await signupUser("login@example.com");
    const res = await login(
      post("/api/auth/login", { email: " LOGIN@example.com", password: "correct horse battery" }),
      undefined,
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user.id).toBe(created.user.id);
    expect(body.token_type).toBe("bearer");
  });

  it("answers the same 401 'Invalid credentials' for an unknown email and a wrong password", async () => {
    await signupUser("known@example.com");
    const wrong = await login(
      post("/api/auth/login", { email: "known@example.com", password: "wrong password" }),
      undefined,
    );
    const unknown = await login(
      post("/api/auth/login", { email: "nobody@example.com", password: "wrong password" }),
      undefined,
    );
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
    }
    // The same answer but for the request's own id.
    const withoutId = async (res: Response) => {
      const { request_id: _id, ...rest } = (await res.json()) as Record<string, unknown>;
      return rest;
    };
    expect(await withoutId(wrong)).toEqual(await withoutId(unknown));
  });

  it("an unknown email costs the same work as a wrong password: one bcrypt comparison at the configured cost", async () => {
    // Checked by the work done, not by the clock: a timing assertion fails on a busy machine.
    process.env.BCRYPT_COST = "10";
    resetEnvCache();
    const compare = vi.spyOn(bcrypt, "compare");
    try {
      await signupUser("timing@example.com");
      const comparisons = async (email: string) => {
        compare.mockClear();
        const res = await login(post("/api/auth/login", { email, password: "wrong password" }), undefined);
        expect(res.status).toBe(401);
        return compare.mock.calls.map(([, hash]) => bcrypt.getRounds(hash as string));
      };
      expect(await comparisons("timing@example.com")).toEqual([10]);
      expect(await comparisons("nobody@example.com")).toEqual([10]);
    } finally {
      compare.mockRestore();
      process.env.BCRYPT_COST = "4";
      resetEnvCache();
    }
  });

  it("refuses an OAuth-only account (no password) with the same 401", async () => {
    const db = await getDb();
    await db.insert(users).values({ email: "oauth-only@example.com" });
    const res = await login(
      post("/api/auth/login", { email: "oauth-only@example.com", password: "anything-at-all" }),
      undefined,
    );
    expect(res.status).toBe(401);
    expect((await res.json()).detail).toBe("Invalid credentials");
  });

  it("answers 422 for missing fields and 400 for malformed JSON", async () => {
    expect((await login(post("/api/auth/login", { email: "x@example.com" }), undefined)).status).toBe(422);
    expect((await login(post("/api/auth/login", "[1,"), undefined)).status).toBe(400);
  });

  it("rate-limits per email and per client address with 429 and Retry-After", async () => {
    process.env.RATE_LIMIT_DISABLED = "";
    resetEnvCache();
    const db = await getDb();
    await db.delete(rateLimits);
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) {
      last = await login(
        post(
          "/api/auth/login",
          { email: "victim@example.com", password: "guess" + i },
          { "x-forwarded-for": `198.51.100.${i}` },
        ),
        undefined,
      );
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account from a fresh address is unaffected.
    const other = await login(
      post("/api/auth/login", { email: "other@example.com", password: "guess" }, { "x-forwarded-for": "192.0.2.1" }),
      undefined,
    );
    expect(other.status).toBe(401);
    // One address hammering many accounts is limited too.
    await db.delete(rateLimits);
    let byIp: Response | undefined;
    for (let i = 0; i < 51; i++) {
      byIp = await login(
        post(
          "/api/auth/login",
          { email: `spray${i}@example.com`, password: "guess" },
          { "x-forwarded-for": "203.0.113.50" },
        ),
        undefined,
      );
    }
    expect(byIp?.status).toBe(429);
  });
});

describe("GET /api/auth/me", () => {
  it("answers UserRead for a bearer token and for a session cookie", async () => {
    const created = await signupUser("me@example.com");
    const viaBearer = await me(get("/api/auth/me", { authorization: `Bearer ${created.access_token}` }), undefined);
    expect(viaBearer.status).toBe(200);
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, created.user.id));
    const viaCookie = await me(get("/api/auth/me", { cookie: await sessionCookieFor(row!) }), undefined);
    expect(viaCookie.status).toBe(200);
    expect(await viaCookie.json()).toEqual(await viaBearer.json());
  });

  it("answers 401 with WWW-Authenticate for missing, forged, expired, alg:none and wrong-secret tokens", async () => {
    const user = await createTestUser();
    const now = Math.floor(Date.now() / 1000);
    const sign = (secret: string, exp: number) =>
      new SignJWT({ ver: 0 })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(user.id)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(now - 100)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const algNone = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: user.id, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: now + 600 })}.`;
    const [h, p] = user.token.split(".");
    const tampered = `${h}.${p}.${"A".repeat(43)}`;
    const candidates = [
      undefined,
      "Bearer ",
      "Bearer not-a-jwt",
      `Bearer ${algNone}`,
      `Bearer ${tampered}`,
      `Bearer ${await sign("some-other-secret-0123456789abcdef", now + 600)}`,
      `Bearer ${await sign("unit-test-secret-0123456789abcdef0123", now - 10)}`,
      `Basic ${Buffer.from("a:b").toString("base64")}`,
      `Bearer ${"x".repeat(10_000)}`,
    ];
    for (const authorization of candidates) {
      const res = await me(get("/api/auth/me", authorization ? { authorization } : {}), undefined);
      expect(res.status, String(authorization).slice(0, 40)).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
    }
  });

  it("rejects a valid token of a deleted user", async () => {
    const user = await createTestUser();
    const db = await getDb();
    await db.delete(users).where(eq(users.id, user.id));
    expect((await me(get("/api/auth/me", user.headers), undefined)).status).toBe(401);
  });

  it("rejects forged session cookies", async () => {
    const user = await createTestUser();
    const [row] = await (await getDb()).select().from(users).where(eq(users.id, user.id));
    const good = await sessionCookieFor(row!);
    const forged = good.slice(0, -6) + "AAAAAA";
    expect((await me(get("/api/auth/me", { cookie: forged }), undefined)).status).toBe(401);
    expect((await me(get("/api/auth/me", { cookie: "next-auth.session-token=garbage" }), undefined)).status).toBe(401);
  });
});

describe("POST /api/auth/token", () => {
  it("trades a session cookie for a bearer token of the same user", async () => {
    const created = await signupUser("token@example.com");
    const [row] = await (await getDb()).select().from(users).where(eq(users.id, created.user.id));
    const res = await tokenRoute(post("/api/auth/token", "", { cookie: await sessionCookieFor(row!) }), undefined);
    expect(res.status).toBe(200);
    const body = await res.json();
    const check = await me(get("/api/auth/me", { authorization: `Bearer ${body.access_token}` }), undefined);
    expect((await check.json()).id).toBe(created.user.id);
  });

  it("answers 401 without a session cookie, even with a bearer token", async () => {
    const user = await createTestUser();
    expect((await tokenRoute(post("/api/auth/token", "", user.headers), undefined)).status).toBe(401);
    expect((await tokenRoute(post("/api/auth/token", ""), undefined)).status).toBe(401);
  });
});

describe("forgot-password and reset-password", () => {
  it("answers 202 with an empty body for known and unknown emails; queues one email only for the known one", async () => {
    await signupUser("forgot@example.com");
    const known = await forgotPassword(post("/api/auth/forgot-password", { email: "Forgot@Example.com" }), undefined);
    const unknown = await forgotPassword(post("/api/auth/forgot-password", { email: "ghost@example.com" }), undefined);
    for (const res of [known, unknown]) {
      expect(res.status).toBe(202);
      expect(await res.text()).toBe("");
    }
    const db = await getDb();
    expect(
      await db.select().from(outboundEmails).where(eq(outboundEmails.toAddress, "ghost@example.com")),
    ).toHaveLength(0);
    const link = await latestResetLink("forgot@example.com");
    expect(link.startsWith("https://app.example.test/reset-password?token=")).toBe(true);
    // ≥ 256 bits of randomness, and only its hash is stored.
    const token = tokenOf(link);
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(32);
    const stored = await db.select().from(passwordResetTokens);
    expect(stored.some((r) => r.tokenHash === token)).toBe(false);
    expect(stored.some((r) => r.tokenHash === hashResetToken(token))).toBe(true);
    const row = stored.find((r) => r.tokenHash === hashResetToken(token))!;
    expect(Math.abs(row.expiresAt.getTime() - Date.now() - 3600_000)).toBeLessThan(60_000);
  });

  it("resets the password once: new password works, old one and older tokens stop working, reuse is refused", async () => {
    const created = await signupUser("reset@example.com", "old password 1");
    const [before] = await (await getDb()).select().from(users).where(eq(users.id, created.user.id));
    const oldCookie = await sessionCookieFor(before!);
    await forgotPassword(post("/api/auth/forgot-password", { email: "reset@example.com" }), undefined);
    const token = tokenOf(await latestResetLink("reset@example.com"));

    const res = await resetPasswordRoute(
      post("/api/auth/reset-password", { token, password: "new password 2" }),
      undefined,
    );
    expect(res.status).toBe(204);
    expect(
      (await login(post("/api/auth/login", { email: "reset@example.com", password: "new password 2" }), undefined))
        .status,
    ).toBe(200);
    expect(
      (await login(post("/api/auth/login", { email: "reset@example.com", password: "old password 1" }), undefined))
        .status,
    ).toBe(401);
    // Older bearer tokens and sessions no longer authenticate.
    expect((await me(get("/api/auth/me", { authorization: `Bearer ${created.access_token}` }), undefined)).status).toBe(
      401,
    );
    expect((await me(get("/api/auth/me", { cookie: oldCookie }), undefined)).status).toBe(401);

    const again = await resetPasswordRoute(
      post("/api/auth/reset-password", { token, password: "third password" }),
      undefined,
    );
    expect(again.status).toBe(400);
    expect((await again.json()).detail).toBe("Token already used");
  });

  it("answers 'Token expired' for an expired token and leaves the password unchanged", async () => {
    await signupUser("expired@example.com", "original password");
    await forgotPassword(post("/api/auth/forgot-password", { email: "expired@example.com" }), undefined);
    const token = tokenOf(await latestResetLink("expired@example.com"));
    const db = await getDb();
    await db
      .update(passwordResetTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResetTokens.tokenHash, hashResetToken(token)));
    const res = await resetPasswordRoute(
      post("/api/auth/reset-password", { token, password: "new password 2" }),
      undefined,
    );
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toBe("Token expired");
    expect(
      (await login(post("/api/auth/login", { email: "expired@example.com", password: "original password" }), undefined))
        .status,
    ).toBe(200);
  });

  it.each([
    ["a forged token", "forged-token-value"],
    ["SQL-ish text", "' OR 1=1 --"],
    ["unicode", "тoкен-🔑"],
  ])("answers 400 'Invalid or expired token' for %s", async (_n, token) => {
    const res = await resetPasswordRoute(
      post("/api/auth/reset-password", { token, password: "new password 2" }),
      undefined,
    );
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toBe("Invalid or expired token");
  });

  it("validates reset bodies (422) and forgot bodies (422, 400)", async () => {
    expect(
      (await resetPasswordRoute(post("/api/auth/reset-password", { token: "t", password: "short" }), undefined)).status,
    ).toBe(422);
    expect(
      (
        await resetPasswordRoute(
          post("/api/auth/reset-password", { token: "t".repeat(600), password: "long enough" }),
          undefined,
        )
      ).status,
    ).toBe(422);
    expect((await resetPasswordRoute(post("/api/auth/reset-password", {}), undefined)).status).toBe(422);
    expect((await forgotPassword(post("/api/auth/forgot-password", { email: "nope" }), undefined)).status).toBe(422);
    expect((await forgotPassword(post("/api/auth/forgot-password", "}"), undefined)).status).toBe(400);
  });

  it("rate-limits forgot-password per email with 429", async () => {
    process.env.RATE_LIMIT_DISABLED = "";
    resetEnvCache();
    await (await getDb()).delete(rateLimits);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await forgotPassword(
        post(
          "/api/auth/forgot-password",
          { email: "flood@example.com" },
          { "x-forwarded-for": `198.51.100.${i + 20}` },
        ),
        undefined,
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses[5]).toBe(429);
  });

  it("rate-limits signup and reset-password per client address", async () => {
    process.env.RATE_LIMIT_DISABLED = "";
    resetEnvCache();
    await (await getDb()).delete(rateLimits);
    let signupRes: Response | undefined;
    for (let i = 0; i < 21; i++) {
      signupRes = await signup(
        post(
          "/api/auth/signup",
          { email: `bulk${i}@example.com`, password: "password123" },
          { "x-forwarded-for": "203.0.113.7" },
        ),
        undefined,
      );
    }
    expect(signupRes?.status).toBe(429);
    let resetRes: Response | undefined;
    for (let i = 0; i < 21; i++) {
      resetRes = await resetPasswordRoute(
        post(
          "/api/auth/reset-password",
          { token: `guess-${i}`, password: "password123" },
          { "x-forwarded-for": "203.0.113.8" },
        ),
        undefined,
      );
    }
    expect(resetRes?.status).toBe(429);
  });
});

it("issues tokens that carry the user's token version", async () => {
  const user = await createTestUser();
  const db = await getDb();
  await db.update(users).set({ tokenVersion: 3 }).where(eq(users.id, user.id));
  const fresh = await issueAccessToken({ id: user.id, tokenVersion: 3 });
  expect((await me(get("/api/auth/me", { authorization: `Bearer ${fresh}` }), undefined)).status).toBe(200);
  expect((await me(get("/api/auth/me", user.headers), undefined)).status).toBe(401);
});
