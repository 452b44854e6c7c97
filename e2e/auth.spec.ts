/**
 * Accounts end to end in a real browser against the production build: email/password
 * (sign up, sign out, sign in, password reset through the queued email), Google through the
 * local OIDC issuer, and Apple's cross-site form_post callback.
 */
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { E2E_DATABASE_URL } from "./support/e2e-env";

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}@example.com`;

async function queuedResetLink(email: string): Promise<string> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ body: string }>(
      "select body from outbound_emails where to_address = $1 order by created_at desc limit 1",
      [email],
    );
    const link = /(https?:\/\/\S+\/reset-password\?token=\S+)/.exec(rows[0]?.body ?? "")?.[1];
    if (!link) throw new Error(`no reset email queued for ${email}`);
    return link;
  } finally {
    await client.end();
  }
}

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signedOutOnBlankPage(page: Page) {
  await page.goto("about:blank");
  await page.context().clearCookies();
}

/** Our inline form error (Next's route announcer is also an alert region). */
const formError = (page: Page) => page.locator("p[role=alert]");

async function me(page: Page) {
  const res = await page.request.get("/api/auth/me");
  return { status: res.status(), body: res.ok() ? ((await res.json()) as { id: string; email: string }) : null };
}

test(
  "sign up, sign out, sign in, forgot password, reset from the queued email, sign in with the new password",
  { tag: "@fakes" },
  async ({ page }) => {
    const email = unique("journey");
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("first password 1");
    await page.getByLabel("Confirm password").fill("first password 1");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/chat$/);
    expect((await me(page)).body?.email).toBe(email);

    // The same address cannot sign up twice: the form says so inline. Leave the chat page
    // first: signed out, it would send itself to sign-in and race the next navigation.
    await signedOutOnBlankPage(page);
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email.toUpperCase());
    await page.getByLabel("Password", { exact: true }).fill("another password");
    await page.getByLabel("Confirm password").fill("another password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(formError(page)).toHaveText("Email already registered");

    // Sign in, then sign out through the app's control.
    await signInWithPassword(page, email, "first password 1");
    await expect(page).toHaveURL(/\/chat$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    expect((await me(page)).status).toBe(401);

    // Wrong password: an inline error, still on the login page.
    await signInWithPassword(page, email, "not my password");
    await expect(formError(page)).toHaveText("Wrong email or password.");

    // Forgot password → the queued email's link → new password.
    await page.getByRole("link", { name: "Forgot password?" }).click();
    // The page renders per request (its CSP nonce): wait for it, or the sign-in form's Email gets the text.
    await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toContainText("If an account exists");
    const link = await queuedResetLink(email);
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill("second password 2");
    await page.getByLabel("Confirm new password").fill("second password 2");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/login\?reset=1/);
    await expect(page.getByRole("status")).toContainText("password was changed");

    // The link is spent.
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill("third password 3");
    await page.getByLabel("Confirm new password").fill("third password 3");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(formError(page)).toHaveText("Token already used");

    await signInWithPassword(page, email, "first password 1");
    await expect(formError(page)).toHaveText("Wrong email or password.");
    await signInWithPassword(page, email, "second password 2");
    await expect(page).toHaveURL(/\/chat$/);

    // A signed-in browser can mint a bearer token for API use.
    const tokenRes = await page.request.post("/api/auth/token");
    expect(tokenRes.status()).toBe(200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const viaBearer = await page.request.get("/api/auth/me", { headers: { authorization: `Bearer ${access_token}` } });
    expect(((await viaBearer.json()) as { email: string }).email).toBe(email);
  },
);

test("anonymous visitors of the chat page are sent to sign in and come back after it", async ({ page }) => {
  const email = unique("return");
  const signup = await page.request.post("/api/auth/signup", { data: { email, password: "password123" } });
  expect(signup.status()).toBe(201);
  await page.context().clearCookies();
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fchat/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("password123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/chat$/);
});

for (const provider of ["Google", "Apple"] as const) {
  test(`signs in with ${provider} through the local OpenID Connect issuer`, { tag: "@fakes" }, async ({ page }) => {
    const email = unique(provider.toLowerCase());
    await page.goto("/login");
    await page.getByRole("link", { name: `Continue with ${provider}` }).click();
    await expect(page.getByRole("heading", { name: `Sign in with ${provider} (test issuer)` })).toBeVisible();
    await page.getByRole("textbox", { name: "Email" }).fill(email);
    await page.getByRole("button", { name: "Continue" }).click();
    // Google redirects back with ?code; Apple POSTs the code cross-origin (form_post).
    await expect(page).toHaveURL(/\/chat$/);
    const first = await me(page);
    expect(first.body?.email).toBe(email);

    // Signing in again with the same identity reaches the same account.
    await signedOutOnBlankPage(page);
    await page.goto("/login");
    await page.getByRole("link", { name: `Continue with ${provider}` }).click();
    await page.getByRole("textbox", { name: "Email" }).fill(email);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/chat$/);
    expect((await me(page)).body?.id).toBe(first.body?.id);
  });
}

test(
  "an unverified provider email does not take over an existing password account",
  { tag: "@fakes" },
  async ({ page }) => {
    const email = unique("victim");
    expect((await page.request.post("/api/auth/signup", { data: { email, password: "password123" } })).status()).toBe(
      201,
    );
    await page.context().clearCookies();
    await page.goto("/login");
    await page.getByRole("link", { name: "Continue with Google" }).click();
    await page.getByRole("textbox", { name: "Email" }).fill(email);
    await page.getByLabel("Email verified").uncheck();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/login\?error=OAuthEmailUnverified/);
    await expect(formError(page)).toContainText("not verified");
    expect((await me(page)).status).toBe(401);
  },
);
