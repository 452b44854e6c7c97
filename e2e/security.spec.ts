/**
 * The attacks of the security review, replayed in a real browser against the production build:
 * open redirects through the return-to parameter, a copied session cookie after sign-out, and
 * account pre-hijacking through a Google sign-in.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { E2E_PORT } from "./support/e2e-env";

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}@example.com`;

/** Records every request the browser makes to the attacker's host (and answers it, so nothing hangs). */
async function watchEvilHost(context: BrowserContext): Promise<string[]> {
  const hits: string[] = [];
  await context.route(
    (url) => url.hostname.endsWith("evil.example"),
    async (route) => {
      hits.push(route.request().url());
      await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" });
    },
  );
  return hits;
}

async function signUpAndSignIn(page: Page, email: string, password = "password 12345") {
  expect((await page.request.post("/api/auth/signup", { data: { email, password } })).status()).toBe(201);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/chat$/);
}

const ATTACKS = [
  "/%09/evil.example/x",
  "/%0d%0a/evil.example",
  "/%5Cevil.example",
  "/.//evil.example",
  "//evil.example",
];

test("a signed-in visitor of /login?callbackUrl=/<TAB>/evil.example stays on our site (and CR/LF is no 500)", async ({
  page,
  baseURL,
}) => {
  const hits = await watchEvilHost(page.context());
  await signUpAndSignIn(page, unique("redirect-in"));
  for (const attack of ATTACKS) {
    const response = await page.goto(`/login?callbackUrl=${attack}`);
    expect(response?.status(), attack).toBeLessThan(500);
    expect(new URL(page.url()).origin, attack).toBe(new URL(baseURL ?? "").origin);
    await expect(page).toHaveURL(/\/chat$/);
  }
  expect(hits).toEqual([]);
});

test("an anonymous visitor signing in from /login?callbackUrl=/<TAB>/evil.example lands on our chat page", async ({
  page,
}) => {
  const hits = await watchEvilHost(page.context());
  const email = unique("redirect-out");
  const password = "password 12345";
  expect((await page.request.post("/api/auth/signup", { data: { email, password } })).status()).toBe(201);
  for (const path of ["/login", "/signup"]) {
    const response = await page.goto(`${path}?callbackUrl=/%09/evil.example/steal`);
    expect(response?.status()).toBe(200);
  }
  await page.goto("/login?callbackUrl=/%09/evil.example/steal");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/chat$/);
  expect(hits).toEqual([]);
});

test(
  "the Google start route and next-auth's own callback URL refuse the same targets",
  { tag: "@fakes" },
  async ({ page }) => {
    const hits = await watchEvilHost(page.context());
    const email = unique("redirect-oauth");
    await page.goto("/api/auth/oauth/google?callbackUrl=/%09/evil.example/x");
    await page.getByRole("textbox", { name: "Email" }).fill(email);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/chat$/);
    // next-auth's sign-out honours a callbackUrl too: it goes through the same rule.
    const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const out = await page.request.post("/api/auth/signout", {
      form: { csrfToken: csrf.csrfToken, callbackUrl: "/\t/evil.example", json: "true" },
    });
    const { url } = (await out.json()) as { url: string };
    expect(new URL(url).host).not.toContain("evil.example");
    expect(hits).toEqual([]);
  },
);

test("after sign-out, a copy of the session cookie no longer works", async ({ page, browser }) => {
  await signUpAndSignIn(page, unique("signout"));
  const copied = (await page.context().cookies()).filter((c) => c.name.includes("session-token"));
  expect(copied.length).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  const thief = await browser.newContext();
  try {
    await thief.addCookies(copied);
    expect((await thief.request.get("/api/auth/me")).status()).toBe(401);
  } finally {
    await thief.close();
  }
});

test(
  "pre-hijacking: the squatter's password stops working once the owner signs in with Google",
  { tag: "@fakes" },
  async ({ page, browser }) => {
    const email = unique("prehijack");
    const attacker = await browser.newContext();
    try {
      // The attacker signs up with the victim's address and stays signed in.
      const signup = await attacker.request.post("/api/auth/signup", { data: { email, password: "attacker pw 1" } });
      expect(signup.status()).toBe(201);
      const { access_token: token } = (await signup.json()) as { access_token: string };

      // The victim signs in with Google, whose identity vouches for the address.
      await page.goto("/login");
      await page.getByRole("link", { name: "Continue with Google" }).click();
      await page.getByRole("textbox", { name: "Email" }).fill(email);
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page).toHaveURL(/\/chat$/);
      const me = (await (await page.request.get("/api/auth/me")).json()) as { email_verified: boolean };
      expect(me.email_verified).toBe(true);

      // The attacker's password, token and cookie are all dead.
      const login = await attacker.request.post("/api/auth/login", { data: { email, password: "attacker pw 1" } });
      expect(login.status()).toBe(401);
      expect(
        (await attacker.request.get("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).status(),
      ).toBe(401);
    } finally {
      await attacker.close();
    }
  },
);

/** A page on another origin of the same site (another port of the same host): the sibling-host attacker. */
async function attackerSite(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(html);
  });
  const port = E2E_PORT + 5;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test("CSRF: a sibling-origin page's form POST and no-cors fetch change nothing for a signed-in visitor", async ({
  page,
  baseURL,
}) => {
  await signUpAndSignIn(page, unique("csrf"));
  const threads = async () =>
    (
      (await (await page.request.post("/chatkit", { data: { type: "threads.list", params: {} } })).json()) as {
        data: unknown[];
      }
    ).data.length;
  const before = await threads();
  const attacker = await attackerSite(`<!doctype html>
    <form id="f" method="POST" action="${baseURL}/api/auth/verify-email/resend"></form>
    <script>
      fetch(${JSON.stringify(`${baseURL}/chatkit`)}, {
        method: "POST", mode: "no-cors", credentials: "include",
        body: JSON.stringify({ type: "threads.create", params: { input: { content: [{ type: "input_text", text: "planted" }] } } }),
      }).finally(() => { document.title = "sent"; setTimeout(() => document.getElementById("f").submit(), 50); });
    </script>`);
  try {
    await page.goto(attacker.url);
    // The form's answer is our refusal, as JSON.
    await expect(page.locator("body")).toContainText("cross_site_request_refused");
    expect(new URL(page.url()).pathname).toBe("/api/auth/verify-email/resend");
  } finally {
    await attacker.close();
  }
  expect(await threads()).toBe(before);
});
