/** OAuth: linking rules for Google/Apple identities, the sign-in start route, Apple's client secret. */
import { eq } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader, exportPKCS8, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as startOAuth } from "@/app/api/auth/oauth/[provider]/route";
import { getDb } from "@/db/client";
import { oauthAccounts, users } from "@/db/schema";
import { start, type FakeOidc } from "@/e2e/fakes/oidc/server";
import { useTestDatabase } from "@/e2e/support/test-database";
import { resetEnvCache } from "@/lib/env";
import { appleClientSecret, generateAppleClientSecret } from "./apple-secret";
import { createPasswordAccount } from "./accounts";
import { linkOAuthIdentity } from "./oauth-accounts";

useTestDatabase();
let fake: FakeOidc;

beforeAll(async () => {
  fake = await start(0);
  Object.assign(process.env, {
    NEXTAUTH_URL: "http://127.0.0.1:3999",
    GOOGLE_CLIENT_ID: "google-e2e-client",
    GOOGLE_CLIENT_SECRET: "google-e2e-secret",
    GOOGLE_ISSUER: `${fake.url}/google`,
    APPLE_CLIENT_ID: "apple-e2e-client",
    APPLE_CLIENT_SECRET: "apple-e2e-secret",
    APPLE_ISSUER: `${fake.url}/apple`,
  });
  resetEnvCache();
});
afterAll(async () => {
  await fake.close();
});

describe("linking OAuth identities to users", () => {
  it("creates a user for a new verified identity and signs the same identity in again as that user", async () => {
    const first = await linkOAuthIdentity({
      provider: "google",
      providerAccountId: "g-1",
      email: "New@Example.com",
      emailVerified: true,
    });
    expect(first.ok && first.user.email).toBe("new@example.com");
    const again = await linkOAuthIdentity({
      provider: "google",
      providerAccountId: "g-1",
      email: "changed@example.com",
      emailVerified: true,
    });
    expect(again.ok && first.ok && again.user.id === first.user.id).toBe(true);
  });

  it("links to an existing password account only when the provider verified the email (Apple's string form too)", async () => {
    const owner = await createPasswordAccount("owner@example.com", "password123", "https://app.example.test");
    const unverified = await linkOAuthIdentity({
      provider: "apple",
      providerAccountId: "a-1",
      email: "owner@example.com",
      emailVerified: "false",
    });
    expect(unverified).toEqual({ ok: false, reason: "email_unverified" });
    const db = await getDb();
    expect(await db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, owner.id))).toHaveLength(0);
    const verified = await linkOAuthIdentity({
      provider: "apple",
      providerAccountId: "a-1",
      email: "owner@example.com",
      emailVerified: "true",
    });
    expect(verified.ok && verified.user.id).toBe(owner.id);
  });

  it("refuses identities without an email or with an unverified new email, creating nothing", async () => {
    expect(
      await linkOAuthIdentity({ provider: "google", providerAccountId: "g-x", email: null, emailVerified: true }),
    ).toEqual({ ok: false, reason: "email_missing" });
    expect(
      await linkOAuthIdentity({
        provider: "google",
        providerAccountId: "g-y",
        email: "squat@example.com",
        emailVerified: false,
      }),
    ).toEqual({ ok: false, reason: "email_unverified" });
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.email, "squat@example.com"))).toHaveLength(0);
  });

  it("survives two concurrent first sign-ins of one identity with one user and one link", async () => {
    const identity = {
      provider: "google" as const,
      providerAccountId: "g-race",
      email: "race@example.com",
      emailVerified: true,
    };
    const [a, b] = await Promise.all([linkOAuthIdentity(identity), linkOAuthIdentity(identity)]);
    expect(a.ok && b.ok && a.user.id === b.user.id).toBe(true);
    const db = await getDb();
    expect(await db.select().from(oauthAccounts).where(eq(oauthAccounts.providerAccountId, "g-race"))).toHaveLength(1);
  });
});

describe("GET /api/auth/oauth/{provider}", () => {
  const call = (provider: string, query = "") =>
    startOAuth(new Request(`http://127.0.0.1:3999/api/auth/oauth/${provider}${query}`), {
      params: Promise.resolve({ provider }),
    });

  it("redirects to Google's authorize endpoint with PKCE and state, setting their cookies", async () => {
    const res = await call("google", "?callbackUrl=%2Fchat");
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${fake.url}/google/authorize`);
    expect(location.searchParams.get("client_id")).toBe("google-e2e-client");
    expect(location.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:3999/api/auth/callback/google");
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("state")).toBeTruthy();
    const cookies = res.headers.getSetCookie().join("\n");
    expect(cookies).toContain("next-auth.pkce.code_verifier=");
    expect(cookies).toContain("next-auth.state=");
    expect(cookies).toContain("next-auth.callback-url=");
  });

  it("asks Apple for a form_post answer", async () => {
    const res = await call("apple");
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.pathname).toBe("/apple/authorize");
    expect(location.searchParams.get("response_mode")).toBe("form_post");
  });

  it("answers 404 'Unsupported provider' for unknown and unconfigured providers", async () => {
    for (const provider of ["github", "credentials", "../signin", "%00"]) {
      const res = await call(provider);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ detail: "Unsupported provider" });
    }
    delete process.env.APPLE_CLIENT_ID;
    resetEnvCache();
    expect((await call("apple")).status).toBe(404);
  });
});

describe("Apple client secret", () => {
  it("uses APPLE_CLIENT_SECRET as given, or signs an ES256 JWT with team id, key id and Services ID", async () => {
    expect(await appleClientSecret({ clientId: "svc", clientSecret: "given" })).toBe("given");
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const secret = await generateAppleClientSecret("com.example.web", {
      teamId: "TEAM123",
      keyId: "KEY456",
      privateKey: pem,
    });
    expect(decodeProtectedHeader(secret)).toEqual({ alg: "ES256", kid: "KEY456" });
    const claims = decodeJwt(secret);
    expect(claims).toMatchObject({ iss: "TEAM123", sub: "com.example.web", aud: "https://appleid.apple.com" });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(180 * 24 * 3600);
  });

  it("signs once and reuses that secret, signs anew for another key, and names the variables when neither is set", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const parts = { teamId: "TEAM123", keyId: "KEY456", privateKey: await exportPKCS8(privateKey) };
    const first = await appleClientSecret({ clientId: "svc", generate: parts });
    expect(await appleClientSecret({ clientId: "svc", generate: parts })).toBe(first);
    const rotated = await appleClientSecret({ clientId: "svc", generate: { ...parts, keyId: "KEY789" } });
    expect(decodeProtectedHeader(rotated).kid).toBe("KEY789");
    await expect(appleClientSecret({ clientId: "svc" })).rejects.toThrow(/APPLE_TEAM_ID \+ APPLE_KEY_ID/);
  });
});
