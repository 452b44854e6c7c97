/**
 * Local OpenID Connect issuer standing in for Google (path prefix /google) and Apple (/apple)
 * on one port. It speaks the real wire format (discovery, authorize, token, userinfo, JWKS) and
 * signs real RS256 id tokens with jose, so next-auth's openid-client runs unchanged.
 *
 * The authorize step shows a small "choose an account" form (email, subject, verified flag)
 * that a browser test fills in. Google then redirects back with `?code&state`; Apple answers
 * with an auto-submitting `form_post` (code, state, and the `user` JSON on first consent).
 * Token requests are checked like the real thing: client credentials (Apple: in the body only),
 * single-use codes, exact redirect_uri, PKCE S256. Apple's client secret is not a shared string
 * but an ES256 JWT the app signs with its .p8 key; the fake verifies it against the public key
 * registered for the client (`applePublicKey`, with `appleKeyId` and `appleTeamId`) and answers
 * Apple's bare `{"error":"invalid_client"}` otherwise. Without a registered key every Apple
 * token request is refused, as Apple refuses a client with no key.
 */
import { createHash, createPublicKey, randomBytes, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";

export type OidcClient = { clientId: string; clientSecret: string };
/** What a developer registers with Apple: the Services ID, the team, and the key (its id and public half). */
export type AppleClientRegistration = { clientId: string; teamId: string; keyId: string; publicKey: KeyObject };
export type FakeOidcOptions = {
  appBaseUrl?: string;
  googleClient?: OidcClient;
  appleClientId?: string;
  appleTeamId?: string;
  appleKeyId?: string;
  /** PEM (SPKI) of the key the Apple client secrets must be signed with. */
  applePublicKey?: string;
};

type Kind = "google" | "apple";
type AuthorizeRequest = {
  clientId: string;
  redirectUri: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  responseMode?: string;
};
type Identity = { sub: string; email: string; emailVerified: boolean; name: string };
type Grant = AuthorizeRequest & Identity & { expiresAt: number };

const DEFAULT_GOOGLE_CLIENT: OidcClient = { clientId: "google-e2e-client", clientSecret: "google-e2e-secret" };
const DEFAULT_APPLE_CLIENT_ID = "apple-e2e-client";
const APPLE_AUDIENCE = "https://appleid.apple.com";
/** Apple refuses client secrets that expire more than 6 months (15777000 s) after the request. */
export const APPLE_SECRET_MAX_LIFETIME_SECONDS = 15_777_000;

/**
 * Checks an Apple client secret as Apple does: ES256, header `kid` = the registered key,
 * `iss` = team id, `sub` = Services ID, `aud` = https://appleid.apple.com, `iat` and `exp`
 * present, not expired, `exp` at most 6 months ahead, signed by the registered key. The reason is
 * for the fake's log and tests; Apple itself says only `invalid_client`.
 */
export async function verifyAppleClientSecret(
  secret: string,
  client: AppleClientRegistration,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<{ ok: true } | { ok: false; reason: string }> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(secret);
  } catch {
    return { ok: false, reason: "client_secret is not a JWT" };
  }
  if (header.alg !== "ES256") return { ok: false, reason: `alg ${String(header.alg)} is not ES256` };
  if (header.kid !== client.keyId) return { ok: false, reason: `kid ${String(header.kid)} is not a key of this team` };
  try {
    const { payload } = await jwtVerify(secret, client.publicKey, {
      algorithms: ["ES256"],
      issuer: client.teamId,
      subject: client.clientId,
      audience: APPLE_AUDIENCE,
      requiredClaims: ["iat", "exp"],
      currentDate: new Date(nowSeconds * 1000),
    });
    if ((payload.exp ?? 0) - nowSeconds > APPLE_SECRET_MAX_LIFETIME_SECONDS)
      return { ok: false, reason: "exp is more than 6 months ahead" };
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json",
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

const oauthError = (res: http.ServerResponse, status: number, error: string, description: string) =>
  send(res, status, { error, error_description: description });

/** Apple's token endpoint answers 400 with `{"error": …}`; only invalid_grant carries a description. */
const appleError = (res: http.ServerResponse, error: string, description?: string) =>
  send(res, 400, { error, ...(description ? { error_description: description } : {}) });

async function readBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function subjectFor(email: string): string {
  return String(BigInt(`0x${createHash("sha256").update(email).digest("hex").slice(0, 15)}`));
}

class Issuer {
  readonly pending = new Map<string, AuthorizeRequest>();
  readonly codes = new Map<string, Grant>();
  readonly accessTokens = new Map<string, Identity>();
  /** Apple sends the `user` JSON only on the first consent per subject. */
  readonly consented = new Set<string>();
  tokenRequests = 0;

  /** Why the last Apple client secret was refused (the fake's log and tests; Apple does not say). */
  lastClientRefusal: string | undefined;

  constructor(
    readonly kind: Kind,
    readonly issuer: string,
    readonly clientId: string,
    /** Google: the shared secret. Apple: the registered key its client secrets must be signed with. */
    readonly credentials: { secret: string } | { apple: AppleClientRegistration | undefined },
    readonly key: { privateKey: CryptoKey; jwk: JWK; kid: string },
  ) {}

  discovery() {
    return {
      issuer: this.issuer,
      authorization_endpoint: `${this.issuer}/authorize`,
      token_endpoint: `${this.issuer}/token`,
      ...(this.kind === "google" ? { userinfo_endpoint: `${this.issuer}/userinfo` } : {}),
      jwks_uri: `${this.issuer}/jwks`,
      response_types_supported: ["code"],
      ...(this.kind === "apple" ? { response_modes_supported: ["query", "fragment", "form_post"] } : {}),
      subject_types_supported: ["public", "pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: this.kind === "google" ? ["openid", "email", "profile"] : ["openid", "email", "name"],
      code_challenge_methods_supported: ["S256", "plain"],
      token_endpoint_auth_methods_supported:
        this.kind === "google" ? ["client_secret_basic", "client_secret_post"] : ["client_secret_post"],
      claims_supported: ["aud", "email", "email_verified", "exp", "iat", "iss", "sub", "nonce"],
    };
  }

  authorizePage(res: http.ServerResponse, query: URLSearchParams) {
    const clientId = query.get("client_id");
    const redirectUri = query.get("redirect_uri");
    if (clientId !== this.clientId) return oauthError(res, 400, "invalid_client", "unknown client_id");
    if (!redirectUri) return oauthError(res, 400, "invalid_request", "redirect_uri is required");
    if (query.get("response_type") !== "code") return oauthError(res, 400, "unsupported_response_type", "code only");
    const id = randomBytes(12).toString("hex");
    this.pending.set(id, {
      clientId,
      redirectUri,
      state: query.get("state") ?? undefined,
      nonce: query.get("nonce") ?? undefined,
      codeChallenge: query.get("code_challenge") ?? undefined,
      codeChallengeMethod: query.get("code_challenge_method") ?? undefined,
      responseMode: query.get("response_mode") ?? undefined,
    });
    const title = this.kind === "google" ? "Sign in with Google (test issuer)" : "Sign in with Apple (test issuer)";
    send(
      res,
      200,
      `<!doctype html><html><head><title>${title}</title></head><body>
<h1>${title}</h1>
<form method="post" action="${this.issuer}/authorize/decision">
<input type="hidden" name="request" value="${id}">
<label>Email <input name="email" type="email" value="oauth-user@example.com" required></label>
<label>Subject <input name="sub" value=""></label>
<label>Name <input name="name" value="Test User"></label>
<label><input type="checkbox" name="email_verified" value="true" checked> Email verified</label>
<button type="submit">Continue</button>
</form></body></html>`,
    );
  }

  async decision(req: http.IncomingMessage, res: http.ServerResponse) {
    const form = await readBody(req);
    const pending = this.pending.get(form.get("request") ?? "");
    if (!pending) return oauthError(res, 400, "invalid_request", "unknown or finished authorization request");
    this.pending.delete(form.get("request") ?? "");
    const email = (form.get("email") ?? "").trim();
    const identity: Identity = {
      email,
      sub: form.get("sub")?.trim() || subjectFor(email),
      emailVerified: form.get("email_verified") === "true",
      name: form.get("name") ?? "",
    };
    const code = randomBytes(24).toString("base64url");
    this.codes.set(code, { ...pending, ...identity, expiresAt: Date.now() + 5 * 60_000 });
    if (this.kind === "apple" && pending.responseMode === "form_post") {
      const fields: Record<string, string> = { code, ...(pending.state ? { state: pending.state } : {}) };
      if (!this.consented.has(identity.sub)) {
        this.consented.add(identity.sub);
        const [firstName, ...rest] = identity.name.split(" ");
        fields.user = JSON.stringify({ name: { firstName, lastName: rest.join(" ") }, email: identity.email });
      }
      const inputs = Object.entries(fields)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
        .join("");
      return send(
        res,
        200,
        `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(pending.redirectUri)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`,
      );
    }
    const target = new URL(pending.redirectUri);
    target.searchParams.set("code", code);
    if (pending.state) target.searchParams.set("state", pending.state);
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  private clientAuth(req: http.IncomingMessage, form: URLSearchParams): OidcClient | null {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "");
    if (basic?.[1]) {
      if (this.kind === "apple") return null; // Apple: client_secret_post only
      const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
      return { clientId: decodeURIComponent(id ?? ""), clientSecret: decodeURIComponent(secret ?? "") };
    }
    const id = form.get("client_id");
    const secret = form.get("client_secret");
    return id && secret ? { clientId: id, clientSecret: secret } : null;
  }

  private async clientAuthenticated(client: OidcClient | null): Promise<boolean> {
    if (!client || client.clientId !== this.clientId) return false;
    if ("secret" in this.credentials) return client.clientSecret === this.credentials.secret;
    const registration = this.credentials.apple;
    const verdict = registration
      ? await verifyAppleClientSecret(client.clientSecret, registration)
      : { ok: false as const, reason: "no key is registered for this client" };
    this.lastClientRefusal = verdict.ok ? undefined : verdict.reason;
    if (!verdict.ok) console.error(`[fake apple] client secret refused: ${verdict.reason}`);
    return verdict.ok;
  }

  async token(req: http.IncomingMessage, res: http.ServerResponse) {
    this.tokenRequests++;
    const form = await readBody(req);
    const refuse = (status: number, error: string, description: string) =>
      this.kind === "apple"
        ? appleError(res, error, error === "invalid_grant" ? description : undefined)
        : oauthError(res, status, error, description);
    const client = this.clientAuth(req, form);
    if (!client || !(await this.clientAuthenticated(client))) {
      return refuse(401, "invalid_client", "client authentication failed");
    }
    if (form.get("grant_type") !== "authorization_code") return refuse(400, "unsupported_grant_type", "");
    const code = form.get("code") ?? "";
    const grant = this.codes.get(code);
    this.codes.delete(code); // single use, even when the rest fails
    if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.clientId) {
      return refuse(400, "invalid_grant", "The code has expired or has been revoked.");
    }
    if (form.get("redirect_uri") !== grant.redirectUri) return refuse(400, "invalid_grant", "redirect_uri mismatch");
    if (grant.codeChallenge) {
      const verifier = form.get("code_verifier") ?? "";
      const computed =
        grant.codeChallengeMethod === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
      if (computed !== grant.codeChallenge) return refuse(400, "invalid_grant", "PKCE verification failed");
    }
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      email: grant.email,
      // Google sends a boolean; Apple a string.
      email_verified: this.kind === "apple" ? String(grant.emailVerified) : grant.emailVerified,
      ...(this.kind === "google"
        ? { azp: grant.clientId, name: grant.name }
        : { is_private_email: "false", auth_time: now }),
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
    };
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: this.key.kid, typ: "JWT" })
      .setIssuer(this.issuer)
      .setAudience(grant.clientId)
      .setSubject(grant.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(this.key.privateKey);
    const accessToken = randomBytes(24).toString("base64url");
    this.accessTokens.set(accessToken, grant);
    send(res, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: this.kind === "apple" ? 3600 : 3599,
      id_token: idToken,
      scope: this.kind === "google" ? "openid email profile" : undefined,
      ...(this.kind === "apple" ? { refresh_token: randomBytes(24).toString("base64url") } : {}),
    });
  }

  userinfo(req: http.IncomingMessage, res: http.ServerResponse) {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const identity = token ? this.accessTokens.get(token) : undefined;
    if (!identity)
      return send(res, 401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
    send(res, 200, {
      sub: identity.sub,
      email: identity.email,
      email_verified: identity.emailVerified,
      name: identity.name,
    });
  }
}

async function makeKey(kind: Kind) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `${kind}-${randomBytes(4).toString("hex")}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" };
  return { privateKey, jwk, kid };
}

export type FakeOidc = {
  url: string;
  issuers: Record<Kind, Issuer>;
  close(): Promise<void>;
};

export async function start(port: number, options: FakeOidcOptions = {}): Promise<FakeOidc> {
  const keys = { google: await makeKey("google"), apple: await makeKey("apple") };
  const issuers = {} as Record<Kind, Issuer>;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const [, kind, ...rest] = url.pathname.split("/");
    const issuer = kind === "google" || kind === "apple" ? issuers[kind] : undefined;
    if (!issuer) return send(res, 404, { error: "not_found" });
    const path = `/${rest.join("/")}`;
    const run = async () => {
      if (req.method === "GET" && path === "/.well-known/openid-configuration")
        return send(res, 200, issuer.discovery());
      if (req.method === "GET" && path === "/jwks") return send(res, 200, { keys: [issuer.key.jwk] });
      if (req.method === "GET" && path === "/authorize") return issuer.authorizePage(res, url.searchParams);
      if (req.method === "POST" && path === "/authorize/decision") return issuer.decision(req, res);
      if (req.method === "POST" && path === "/token") return issuer.token(req, res);
      if (req.method === "GET" && path === "/userinfo" && kind === "google") return issuer.userinfo(req, res);
      send(res, 404, { error: "not_found" });
    };
    run().catch((err: unknown) => send(res, 400, { error: "invalid_request", error_description: String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const google = options.googleClient ?? DEFAULT_GOOGLE_CLIENT;
  issuers.google = new Issuer(
    "google",
    `${base}/google`,
    google.clientId,
    { secret: google.clientSecret },
    keys.google,
  );
  const appleClientId = options.appleClientId ?? DEFAULT_APPLE_CLIENT_ID;
  const registration =
    options.applePublicKey && options.appleKeyId && options.appleTeamId
      ? {
          clientId: appleClientId,
          teamId: options.appleTeamId,
          keyId: options.appleKeyId,
          publicKey: createPublicKey(options.applePublicKey),
        }
      : undefined;
  issuers.apple = new Issuer("apple", `${base}/apple`, appleClientId, { apple: registration }, keys.apple);
  return {
    url: base,
    issuers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
