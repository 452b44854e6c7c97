/** Bearer access tokens for API clients: HS256 JWTs signed with JWT_SECRET (jose). */
import "server-only";
import { errors, jwtVerify, SignJWT } from "jose";
import { getEnv } from "@/lib/env";

export const TOKEN_ISSUER = "facts-chat";
export const TOKEN_AUDIENCE = "facts-chat-api";

export type AccessTokenClaims = { userId: string; tokenVersion: number };

// The HMAC key, imported once per secret: importing it on every verify costs more than the check.
let cachedKey: { secret: string; key: Promise<CryptoKey> } | undefined;

function secretKey(): Promise<CryptoKey> {
  const secret = getEnv().auth.jwtSecret;
  if (cachedKey?.secret !== secret) {
    const key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    cachedKey = { secret, key };
  }
  return cachedKey.key;
}

export async function issueAccessToken(user: { id: string; tokenVersion: number }): Promise<string> {
  const { jwtExpiresIn } = getEnv().auth;
  return new SignJWT({ ver: user.tokenVersion })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + jwtExpiresIn)
    .sign(await secretKey());
}

/**
 * Tokens whose signature and claims were already checked, until they expire. A signature's
 * validity never changes, so this is a pure cache (per instance, bounded); whether the user
 * still exists and the token version still matches is checked on every request by the caller.
 */
const verified = new Map<string, { claims: AccessTokenClaims; expiresAt: number; secret: string }>();
const VERIFIED_MAX = 5000;

function remember(token: string, claims: AccessTokenClaims, expiresAt: number) {
  if (verified.size >= VERIFIED_MAX) {
    const oldest = verified.keys().next().value;
    if (oldest !== undefined) verified.delete(oldest);
  }
  verified.set(token, { claims, expiresAt, secret: getEnv().auth.jwtSecret });
}

/** Returns the claims of a valid token, or null for anything forged, expired or malformed. */
export async function verifyAccessToken(token: string): Promise<AccessTokenClaims | null> {
  if (token.length > 4096) return null;
  const known = verified.get(token);
  if (known && known.secret === getEnv().auth.jwtSecret) {
    if (Date.now() < known.expiresAt) return known.claims;
    verified.delete(token);
    return null;
  }
  try {
    const { payload } = await jwtVerify(token, await secretKey(), {
      algorithms: ["HS256"], // pinned: rejects alg:none and asymmetric confusion
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    });
    if (typeof payload.sub !== "string" || !/^[0-9a-f-]{36}$/i.test(payload.sub)) return null;
    const ver = typeof payload.ver === "number" && Number.isInteger(payload.ver) ? payload.ver : 0;
    const claims = { userId: payload.sub, tokenVersion: ver };
    remember(token, claims, (payload.exp ?? 0) * 1000);
    return claims;
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
}
