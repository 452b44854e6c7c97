/**
 * Apple's client secret is an ES256 JWT signed with the team's .p8 key (iss = Team ID,
 * sub = Services ID, aud = Apple). Given APPLE_CLIENT_SECRET wins; otherwise we sign one,
 * valid for 30 days and re-signed a day before it runs out.
 */
import "server-only";
import { importPKCS8, SignJWT } from "jose";

export type AppleKeyParts = { teamId: string; keyId: string; privateKey: string };
export type AppleConfig = { clientId: string; clientSecret?: string; generate?: AppleKeyParts };

const LIFETIME_SECONDS = 30 * 24 * 3600;
const RENEW_BEFORE_SECONDS = 24 * 3600;
let cached: { key: string; secret: string; expiresAt: number } | undefined;

export async function generateAppleClientSecret(
  clientId: string,
  parts: AppleKeyParts,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  const key = await importPKCS8(parts.privateKey, "ES256");
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: parts.keyId })
    .setIssuer(parts.teamId)
    .setSubject(clientId)
    .setAudience("https://appleid.apple.com")
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + LIFETIME_SECONDS)
    .sign(key);
}

export async function appleClientSecret(config: AppleConfig): Promise<string> {
  if (config.clientSecret) return config.clientSecret;
  if (!config.generate)
    throw new Error("Apple sign-in needs APPLE_CLIENT_SECRET or APPLE_TEAM_ID + APPLE_KEY_ID + APPLE_PRIVATE_KEY");
  const now = Math.floor(Date.now() / 1000);
  const cacheKey = `${config.clientId}|${config.generate.teamId}|${config.generate.keyId}`;
  if (cached && cached.key === cacheKey && cached.expiresAt - RENEW_BEFORE_SECONDS > now) return cached.secret;
  const secret = await generateAppleClientSecret(config.clientId, config.generate, now);
  cached = { key: cacheKey, secret, expiresAt: now + LIFETIME_SECONDS };
  return secret;
}
