/**
 * The attacks of the security review, replayed in a real browser against the production build:
 * open redirects through the return-to parameter, a copied session cookie after sign-out,
 * account pre-hijacking through a Google sign-in, CSRF, injected scripts against the pages'
 * nonce-based CSP, and the JSON answers to wrong methods and requests Node's parser refuses.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { expect, test, type BrowserContext, type Page, type Response } from "@playwright/test";
import { fakeChatKit } from "./support/chat";
import { E2E_PORT } from "./support/e2e-env";
import { rawExchange } from "./support/raw-http";

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
      }).finally(() => { document.getElementById("f").submit(); });
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

/** The one Content-Security-Policy header of a page answer, and its script nonce. */
async function pagePolicy(response: Response | null): Promise<{ policy: string; nonce: string }> {
  const policies = ((await response?.headersArray()) ?? []).filter(
    (h) => h.name.toLowerCase() === "content-security-policy",
  );
  expect(policies, "exactly one CSP header").toHaveLength(1);
  const policy = policies[0]?.value ?? "";
  const scripts = policy.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
  expect(scripts).toContain("'strict-dynamic'");
  expect(scripts).not.toContain("'unsafe-inline'");
  const nonce = /'nonce-([A-Za-z0-9+/]+=*)'/.exec(scripts)?.[1];
  expect(nonce, "a nonce in script-src").toBeTruthy();
  return { policy, nonce: nonce ?? "" };
}

/** Every script element of the served HTML but JSON data blocks (which never run), with its attributes. */
function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>/gi)]
    .map((m) => m[1] ?? "")
    .filter((attrs) => !/type="application\/(ld\+)?json"/i.test(attrs));
}

/** Collects CSP violations: the browser's console reports and the page's securitypolicyviolation events. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const reports: string[] = [];
  page.on("console", (msg) => {
    if (msg.text().includes("Content Security Policy")) reports.push(msg.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  return async () => [...reports, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
}

test("every page carries a fresh CSP nonce on all its scripts, runs them, and reports no violation", async ({
  page,
}) => {
  const violations = await watchViolations(page);
  await fakeChatKit(page); // the ChatKit CDN script, added by our bundle: 'strict-dynamic' must let it run
  const nonces = new Set<string>();
  const visit = async (path: string) => {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    const { nonce } = await pagePolicy(response);
    nonces.add(nonce);
    const tags = scriptTags(await response!.text());
    expect(tags.length, path).toBeGreaterThan(3);
    expect(
      tags.filter((attrs) => !attrs.includes(`nonce="${nonce}"`)),
      `${path}: scripts without the nonce`,
    ).toEqual([]);
    // The pre-paint theme script ran (inline, nonce'd), and React hydrated the page.
    await expect(page.locator("html")).toHaveAttribute("data-theme", /^(light|dark)$/);
    await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("_reactListening")));
    if (path === "/chat") await expect(page.getByTestId("chat-panel")).toHaveAttribute("data-phase", "ready");
    expect(await violations(), path).toEqual([]);
  };
  for (const path of ["/", "/login", "/signup", "/forgot-password", "/docs"]) await visit(path);
  await signUpAndSignIn(page, unique("csp"));
  for (const path of ["/chat", "/dashboard", "/settings"]) await visit(path);
  expect(nonces.size).toBe(8);
});

test("an injected script without the nonce does not run, and the browser reports it", async ({ page }) => {
  const violations = await watchViolations(page);
  const hits = await watchEvilHost(page.context());
  // As if stored markup reached the page: an inline script, an inline handler and a script from
  // another host, all parser-inserted without the nonce.
  await page.route("**/login", async (route) => {
    const response = await route.fetch();
    const injected =
      `<script>window.__injected = "inline"</script>` +
      `<img src="/nope.png" onerror="window.__injected = 'handler'">` +
      `<script src="https://evil.example/steal.js"></script>`;
    await route.fulfill({ response, body: (await response.text()).replace("</body>", `${injected}</body>`) });
  });
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expect
    .poll(async () => (await violations()).filter((v) => v.includes("script-src")).length)
    .toBeGreaterThanOrEqual(3);
  expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
  expect(hits).toEqual([]);
});

test("a method an API path does not answer gets a JSON 405 naming the allowed ones", async ({ request }) => {
  for (const [method, path, allow] of [
    ["PUT", "/chatkit/attachments/atc_0/content", "GET, HEAD, OPTIONS"],
    ["DELETE", "/facts", "GET, HEAD, OPTIONS"],
    ["PUT", "/api/auth/session", "GET, HEAD, OPTIONS, POST"],
    ["PATCH", "/facts/00000000-0000-0000-0000-000000000000/save", "OPTIONS, POST"],
  ] as const) {
    const response = await request.fetch(path, { method });
    expect(response.status(), `${method} ${path}`).toBe(405);
    expect(response.headers()["allow"]).toBe(allow);
    expect(await response.json()).toMatchObject({
      code: "method_not_allowed",
      detail: expect.stringContaining(method),
    });
  }
  // The proxy skips /chatkit itself (the streaming hot path): its route file answers the same 405.
  for (const method of ["GET", "PUT", "DELETE"]) {
    const response = await request.fetch("/chatkit", { method });
    expect(response.status(), `${method} /chatkit`).toBe(405);
    expect(response.headers()["allow"]).toBe("OPTIONS, POST");
    expect(await response.json()).toMatchObject({ code: "method_not_allowed" });
  }
  expect((await request.get("/health")).status()).toBe(200);
});

test(
  "requests Node's parser refuses get JSON answers: 431 for oversized headers, 400 for malformed ones",
  { tag: "@fakes" }, // raw TCP to the local server
  async ({ request }) => {
    const big = await rawExchange(E2E_PORT, `GET /health HTTP/1.1\r\nHost: x\r\nCookie: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect(big.head).toContain("content-type: application/json");
    expect(big.head).toContain("connection: close");
    expect(JSON.parse(big.body)).toMatchObject({ code: "request_headers_too_large" });
    for (const bytes of ["GET /health HTTP/1.1\r\nBroken header\r\n\r\n", "BREW /health HTTP/1.1\r\nHost: x\r\n\r\n"]) {
      const bad = await rawExchange(E2E_PORT, bytes);
      expect(bad.status, bytes).toBe(400);
      expect(JSON.parse(bad.body)).toMatchObject({ code: "malformed_request" });
    }
    expect((await request.get("/health")).status()).toBe(200);
  },
);
