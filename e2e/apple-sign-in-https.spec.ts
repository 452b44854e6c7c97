/**
 * Apple sign-in as in production: the app on an HTTPS origin of its own site, Apple's callback a
 * cross-site form POST. Over plain http://127.0.0.1 (the rest of the suite) the app uses Lax
 * cookies and the fake issuer is same-site, so this is the one run where the SameSite=None;
 * Secure cookies for the PKCE verifier, state and nonce must survive a cross-site POST, and the
 * app's generated ES256 client secret must pass the Apple fake's checks.
 *
 * A second `next start` of the same build runs here with an https NEXTAUTH_URL behind a local
 * TLS proxy (e2e/support/https-origin.ts), on free ports; Chromium maps the made-up host name to
 * 127.0.0.1 and trusts exactly the throwaway certificate made for it.
 */
import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { startApp, type AppServer } from "./support/app-server";
import { E2E_DATABASE_URL, E2E_STRIPE_WEBHOOK_SECRET, FAKE_PORTS } from "./support/e2e-env";
import { startTlsProxy, throwawayCertificate, type TlsProxy } from "./support/https-origin";

/** Not localhost: Chromium counts http://localhost as secure too, which would prove nothing. */
const HOST = "chat.apple-e2e.test";
/** The cookies next-auth reads back in Apple's callback, all SameSite=None; Secure. */
const CHECK_COOKIES = [
  "__Secure-next-auth.pkce.code_verifier",
  "__Secure-next-auth.state",
  "__Secure-next-auth.nonce",
  "__Secure-next-auth.callback-url",
];

let proxy: TlsProxy | undefined;
let app: AppServer | undefined;
let browser: Browser | undefined;
let origin = "";

test.describe("Apple sign-in over HTTPS", { tag: "@fakes" }, () => {
  test.beforeAll(async ({ playwright }, testInfo) => {
    test.setTimeout(120_000); // a second production server starts here
    const certificate = throwawayCertificate(HOST);
    proxy = await startTlsProxy(certificate);
    origin = `https://${HOST}:${proxy.port}`;
    app = await startApp({
      databaseUrl: E2E_DATABASE_URL,
      openaiBaseUrl: `http://127.0.0.1:${FAKE_PORTS.openai}/v1`,
      stripeUrl: `http://127.0.0.1:${FAKE_PORTS.stripe}`,
      oidcUrl: `http://127.0.0.1:${FAKE_PORTS.oidc}`,
      webhookSecret: E2E_STRIPE_WEBHOOK_SECRET,
      env: { APP_BASE_URL: origin, NEXTAUTH_URL: origin },
    });
    proxy.setTarget(app.port);
    const launch = testInfo.project.use.launchOptions ?? {};
    browser = await playwright.chromium.launch({
      ...launch,
      args: [
        ...(launch.args ?? []),
        `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
        `--ignore-certificate-errors-spki-list=${certificate.spkiSha256}`,
      ],
    });
  });

  test.afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await proxy?.close();
  });

  async function signInPage(context: BrowserContext) {
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByRole("link", { name: "Continue with Apple" }).click();
    await expect(page.getByRole("heading", { name: "Sign in with Apple (test issuer)" })).toBeVisible();
    return page;
  }

  test("Apple's cross-site form POST carries the SameSite=None PKCE, state and nonce cookies and signs the person in", async () => {
    const context = await browser!.newContext({ baseURL: origin });
    const page = await signInPage(context);
    // The start route set the check cookies for the HTTPS origin, cross-site capable.
    const cookies = await context.cookies(origin);
    for (const name of CHECK_COOKIES) {
      expect(
        cookies.find((c) => c.name === name),
        name,
      ).toMatchObject({
        sameSite: "None",
        secure: true,
        httpOnly: true,
      });
    }

    const email = `apple-https-${randomBytes(4).toString("hex")}@example.com`;
    await page.getByRole("textbox", { name: "Email" }).fill(email);
    const callback = page.waitForRequest((r) => r.url() === `${origin}/api/auth/callback/apple`);
    await page.getByRole("button", { name: "Continue" }).click();
    const request = await callback;
    expect(request.method()).toBe("POST");
    const headers = await request.allHeaders();
    expect(headers["sec-fetch-site"]).toBe("cross-site");
    expect(new URLSearchParams(request.postData() ?? "").has("code")).toBe(true);
    const sent = (headers.cookie ?? "").split(/;\s*/).map((c) => c.slice(0, c.indexOf("=")));
    expect(sent).toEqual(expect.arrayContaining(CHECK_COOKIES));

    // The callback's redirect, then a full page load on top of a second server: more than the default 5 s on a busy machine.
    await expect(page).toHaveURL(`${origin}/chat`, { timeout: 20_000 });
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    const me = await page.evaluate(async () => {
      const res = await fetch("/api/auth/me");
      return { status: res.status, body: (await res.json()) as { email?: string } };
    });
    expect(me).toMatchObject({ status: 200, body: { email } });
    // The session cookie itself stays Lax.
    const session = (await context.cookies(origin)).find((c) => c.name === "__Secure-next-auth.session-token");
    expect(session).toMatchObject({ sameSite: "Lax", secure: true, httpOnly: true });
    await context.close();
  });

  test("without its state cookie Apple's callback is refused and nobody is signed in", async () => {
    const context = await browser!.newContext({ baseURL: origin });
    const page = await signInPage(context);
    await context.clearCookies({ name: "__Secure-next-auth.state" });
    await page
      .getByRole("textbox", { name: "Email" })
      .fill(`apple-nostate-${randomBytes(4).toString("hex")}@example.com`);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/login\?.*error=OAuthCallback/, { timeout: 20_000 });
    // Refused for the missing state, not for anything else.
    await expect.poll(() => app!.log.join("\n")).toContain("State cookie was missing");
    const status = await page.evaluate(async () => (await fetch("/api/auth/me")).status);
    expect(status).toBe(401);
    await context.close();
  });
});
