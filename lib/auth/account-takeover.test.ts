/**
 * Account pre-hijacking and server-side sign-out: an attacker who signs up with someone else's
 * address keeps no way in once the real owner signs in with a provider that vouches for it.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { POST as resend } from "@/app/api/auth/verify-email/resend/route";
import { POST as verifyRoute } from "@/app/api/auth/verify-email/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as signup } from "@/app/api/auth/signup/route";
import { getDb } from "@/db/client";
import { authSessions, outboundEmails, users } from "@/db/schema";
import { useTestDatabase } from "@/e2e/support/test-database";
import { resetEnvCache } from "@/lib/env";
import { authenticate } from "./accounts";
import { linkOAuthIdentity } from "./oauth-accounts";
import { currentUser } from "./require-user";
import { reissueSessionCookie, sessionCookieFor } from "./session-cookie";
import { revokeSession } from "./sessions";

useTestDatabase({ APP_BASE_URL: "https://app.example.test", JWT_SECRET: "takeover-test-secret-0123456789abcdef" });

beforeEach(() => {
  process.env.RATE_LIMIT_DISABLED = "1";
  resetEnvCache();
});

const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const withCookie = (cookie: string) => new Request("http://localhost/", { headers: { cookie } });

async function signupAs(email: string, password: string) {
  const res = await signup(post("/api/auth/signup", { email, password }), undefined);
  expect(res.status).toBe(201);
  return (await res.json()) as { access_token: string; user: { id: string; email: string; email_verified: boolean } };
}

async function verificationToken(email: string): Promise<string> {
  const db = await getDb();
  const rows = await db.select().from(outboundEmails).where(eq(outboundEmails.toAddress, email));
  const mail = rows.filter((r) => r.subject === "Confirm your email address").at(-1);
  const link = /(https:\/\/app\.example\.test\/verify-email\?token=\S+)/.exec(mail?.body ?? "")?.[1];
  if (!link) throw new Error("no verification link queued");
  return new URL(link).searchParams.get("token") ?? "";
}

describe("account pre-hijacking", () => {
  it("a squatter's password, token and session stop working when the owner signs in with a verified Google identity", async () => {
    const squatter = await signupAs("victim@example.com", "attacker-password");
    expect(squatter.user.email_verified).toBe(false);
    const cookie = await sessionCookieFor({ id: squatter.user.id, email: "victim@example.com", tokenVersion: 0 });

    const owner = await linkOAuthIdentity({
      provider: "google",
      providerAccountId: "victim-google",
      email: "victim@example.com",
      emailVerified: true,
    });
    expect(owner.ok && owner.user.id).toBe(squatter.user.id);

    expect(await authenticate("victim@example.com", "attacker-password")).toBeNull();
    expect(await currentUser(new Request("http://localhost/", { headers: bearer(squatter.access_token) }))).toBeNull();
    expect(await currentUser(withCookie(cookie))).toBeNull();
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, squatter.user.id));
    expect(row?.hashedPassword).toBeNull();
    expect(row?.emailVerifiedAt).not.toBeNull();
    // The link emailed to the real owner before the take-over is spent as well.
    const res = await verifyRoute(
      post("/api/auth/verify-email", { token: await verificationToken("victim@example.com") }),
      undefined,
    );
    expect(res.status).toBe(400);
  });

  it("an owner who verified the address keeps the password when linking Google", async () => {
    const account = await signupAs("careful@example.com", "owner-password");
    const res = await verifyRoute(
      post("/api/auth/verify-email", { token: await verificationToken("careful@example.com") }),
      undefined,
    );
    expect(res.status).toBe(204);
    const linked = await linkOAuthIdentity({
      provider: "google",
      providerAccountId: "careful-google",
      email: "careful@example.com",
      emailVerified: true,
    });
    expect(linked.ok && linked.user.id).toBe(account.user.id);
    expect((await authenticate("careful@example.com", "owner-password"))?.id).toBe(account.user.id);
    expect(
      await currentUser(new Request("http://localhost/", { headers: bearer(account.access_token) })),
    ).not.toBeNull();
  });
});

describe("email verification", () => {
  it("signup queues a link; following it once marks the account verified, a second use is refused", async () => {
    const account = await signupAs("new@example.com", "password123");
    const token = await verificationToken("new@example.com");
    expect((await verifyRoute(post("/api/auth/verify-email", { token }), undefined)).status).toBe(204);
    const view = await (
      await me(new Request("http://localhost/api/auth/me", { headers: bearer(account.access_token) }), undefined)
    ).json();
    expect(view.email_verified).toBe(true);
    const again = await verifyRoute(post("/api/auth/verify-email", { token }), undefined);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: "token_used" });
  });

  it.each([
    ["an unknown token", { token: "not-a-real-token" }, 400],
    ["a missing token", {}, 422],
    ["an oversized token", { token: "x".repeat(600) }, 422],
  ])("refuses %s", async (_, body, status) => {
    expect((await verifyRoute(post("/api/auth/verify-email", body), undefined)).status).toBe(status);
  });

  it("resend needs a caller, is limited per account, and answers 409 once verified", async () => {
    delete process.env.RATE_LIMIT_DISABLED;
    resetEnvCache();
    expect((await resend(post("/api/auth/verify-email/resend"), undefined)).status).toBe(401);
    const account = await signupAs("resend@example.com", "password123");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await resend(post("/api/auth/verify-email/resend", undefined, bearer(account.access_token)), undefined))
          .status,
      );
    expect(statuses).toEqual([202, 202, 202, 429]);
    const token = await verificationToken("resend@example.com");
    expect((await verifyRoute(post("/api/auth/verify-email", { token }), undefined)).status).toBe(204);
    const done = await resend(
      post("/api/auth/verify-email/resend", undefined, bearer(account.access_token)),
      undefined,
    );
    expect(done.status).toBe(409);
  });
});

describe("server-side sessions", () => {
  it("a revoked session's cookie stops working while another session of the same account keeps working", async () => {
    const account = await signupAs("sessions@example.com", "password123");
    const user = { id: account.user.id, email: account.user.email, tokenVersion: 0 };
    const laptop = await sessionCookieFor(user);
    const phone = await sessionCookieFor(user);
    const sid = (await (await getDb()).select().from(authSessions).where(eq(authSessions.userId, user.id)))[0]?.id;
    await revokeSession(sid);
    const alive = [await currentUser(withCookie(laptop)), await currentUser(withCookie(phone))].filter(Boolean);
    expect(alive).toHaveLength(1);
  });

  it("a session cookie without a recorded session (forged sid or none) is refused", async () => {
    const account = await signupAs("nosid@example.com", "password123");
    const { encode } = await import("next-auth/jwt");
    const { getEnv } = await import("@/lib/env");
    for (const token of [
      { sub: account.user.id, ver: 0 },
      { sub: account.user.id, ver: 0, sid: "8d0f6a48-8d8b-4d3c-9a57-1f6f0d0e2a11" },
    ]) {
      const value = await encode({ token, secret: getEnv().auth.sessionSecret });
      expect(await currentUser(withCookie(`next-auth.session-token=${value}`))).toBeNull();
    }
  });

  it("reissueSessionCookie keeps this browser signed in after a token_version bump and ends its old session", async () => {
    const account = await signupAs("reissue@example.com", "password123");
    const old = await sessionCookieFor({ id: account.user.id, email: account.user.email, tokenVersion: 0 });
    const db = await getDb();
    await db.update(users).set({ tokenVersion: 1 }).where(eq(users.id, account.user.id));
    expect(await currentUser(withCookie(old))).toBeNull();
    const header = await reissueSessionCookie(withCookie(old), {
      id: account.user.id,
      email: account.user.email,
      tokenVersion: 1,
    });
    expect(header).toMatch(/HttpOnly; SameSite=Lax/);
    const fresh = header.split(";")[0] ?? "";
    expect((await currentUser(withCookie(fresh)))?.id).toBe(account.user.id);
  });
});
