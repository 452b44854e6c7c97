/** Bearer access tokens for API clients: HS256 JWTs signed with JWT_SECRET (jose). */
import { errors, jwtVerify, SignJWT } from "jose";
import { getEnv } from "@/lib/env";

export const TOKEN_ISSUER = "facts-chat";
export const TOKEN_AUDIENCE = "facts-chat-api";

export type AccessTokenClaims = { userId: string; tokenVersion: number };

function secretKey(): Uint8Array {
  return new TextEncoder().encode(getEnv().auth.jwtSecret);
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
    .sign(secretKey());
}

/** Returns the claims of a valid token, or null for anything forged, expired or malformed. */
export async function verifyAccessToken(token: string): Promise<AccessTokenClaims | null> {
  if (token.length > 4096) return null;
  try {
    const { payload } = await jwtVerify(token, secretKey(), {
      algorithms: ["HS256"], // pinned: rejects alg:none and asymmetric confusion
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    });
    if (typeof payload.sub !== "string" || !/^[0-9a-f-]{36}$/i.test(payload.sub)) return null;
    const ver = typeof payload.ver === "number" && Number.isInteger(payload.ver) ? payload.ver : 0;
    return { userId: payload.sub, tokenVersion: ver };
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
}
