/** The Apple fake checks client secrets as Apple does, and refuses in Apple's words. */
import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppleClientSecret } from "@/lib/auth/apple-secret";
import {
  APPLE_SECRET_MAX_LIFETIME_SECONDS,
  start,
  verifyAppleClientSecret,
  type AppleClientRegistration,
  type FakeOidc,
} from "./server";

const NOW = 1_800_000_000;
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const client: AppleClientRegistration = { clientId: "com.example.web", teamId: "TEAM123", keyId: "KEY456", publicKey };

type Overrides = { kid?: string; iss?: string; sub?: string; aud?: string; exp?: number; key?: KeyObject };
function secret(o: Overrides = {}) {
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: o.kid ?? client.keyId })
    .setIssuer(o.iss ?? client.teamId)
    .setSubject(o.sub ?? client.clientId)
    .setAudience(o.aud ?? "https://appleid.apple.com")
    .setIssuedAt(NOW)
    .setExpirationTime(o.exp ?? NOW + 3600)
    .sign(o.key ?? privateKey);
}

describe("verifyAppleClientSecret", () => {
  it("accepts the secret the app generates from its .p8 key", async () => {
    const generated = await generateAppleClientSecret(
      client.clientId,
      { teamId: client.teamId, keyId: client.keyId, privateKey: privatePem },
      NOW,
    );
    expect(await verifyAppleClientSecret(generated, client, NOW)).toEqual({ ok: true });
  });

  it("accepts exp exactly 6 months ahead and refuses one second more", async () => {
    const limit = NOW + APPLE_SECRET_MAX_LIFETIME_SECONDS;
    expect(await verifyAppleClientSecret(await secret({ exp: limit }), client, NOW)).toEqual({ ok: true });
    expect(await verifyAppleClientSecret(await secret({ exp: limit + 1 }), client, NOW)).toEqual({
      ok: false,
      reason: "exp is more than 6 months ahead",
    });
  });

  it.each<[string, Overrides, RegExp]>([
    ["a key id that is not the registered one", { kid: "OTHERKEY" }, /kid OTHERKEY/],
    ["an audience other than Apple", { aud: "https://example.com" }, /"aud"/],
    ["another team as issuer", { iss: "OTHERTEAM" }, /"iss"/],
    ["another Services ID as subject", { sub: "com.example.other" }, /"sub"/],
    ["an expired secret", { exp: NOW - 1 }, /"exp"/],
    ["a signature by another key", { key: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey }, /signature/],
  ])("refuses %s", async (_name, overrides, reason) => {
    const verdict = await verifyAppleClientSecret(await secret(overrides), client, NOW);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });

  it("refuses a plain shared secret and an HS256 JWT", async () => {
    expect((await verifyAppleClientSecret("apple-e2e-secret", client, NOW)).ok).toBe(false);
    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", kid: client.keyId })
      .setIssuer(client.teamId)
      .setSubject(client.clientId)
      .setAudience("https://appleid.apple.com")
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 60)
      .sign(new TextEncoder().encode("x".repeat(32)));
    expect(await verifyAppleClientSecret(hs, client, NOW)).toEqual({ ok: false, reason: "alg HS256 is not ES256" });
  });
});

describe("the Apple token endpoint", () => {
  let fake: FakeOidc;
  let bare: FakeOidc;
  beforeAll(async () => {
    fake = await start(0, {
      appleClientId: client.clientId,
      appleTeamId: client.teamId,
      appleKeyId: client.keyId,
      applePublicKey: createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString(),
    });
    bare = await start(0, { appleClientId: client.clientId });
  });
  afterAll(async () => {
    await fake.close();
    await bare.close();
  });

  const exchange = async (base: string, clientSecret: string) => {
    const res = await fetch(`${base}/apple/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: "not-a-code",
        redirect_uri: "https://app.example/api/auth/callback/apple",
        client_id: client.clientId,
        client_secret: clientSecret,
      }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const now = () => Math.floor(Date.now() / 1000);

  it("lets a valid secret through client authentication (the unknown code is then the error)", async () => {
    const good = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: client.keyId })
      .setIssuer(client.teamId)
      .setSubject(client.clientId)
      .setAudience("https://appleid.apple.com")
      .setIssuedAt(now())
      .setExpirationTime(now() + 600)
      .sign(privateKey);
    expect(await exchange(fake.url, good)).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: "The code has expired or has been revoked." },
    });
  });

  it("answers Apple's bare 400 invalid_client for a wrong kid, a wrong aud or an exp too far ahead", async () => {
    const sign = (o: Overrides) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "ES256", kid: o.kid ?? client.keyId })
        .setIssuer(client.teamId)
        .setSubject(client.clientId)
        .setAudience(o.aud ?? "https://appleid.apple.com")
        .setIssuedAt(now())
        .setExpirationTime(o.exp ?? now() + 600)
        .sign(privateKey);
    for (const [bad, reason] of [
      [{ kid: "OTHERKEY" }, /kid OTHERKEY/],
      [{ aud: "https://example.com" }, /"aud"/],
      [{ exp: now() + APPLE_SECRET_MAX_LIFETIME_SECONDS + 3600 }, /6 months/],
    ] as const) {
      expect(await exchange(fake.url, await sign(bad))).toEqual({ status: 400, body: { error: "invalid_client" } });
      expect(fake.issuers.apple.lastClientRefusal).toMatch(reason);
    }
  });

  it("refuses every secret when no key is registered for the client", async () => {
    expect(await exchange(bare.url, await secret({ exp: now() + 600 }))).toEqual({
      status: 400,
      body: { error: "invalid_client" },
    });
    expect(bare.issuers.apple.lastClientRefusal).toBe("no key is registered for this client");
  });
});
