/**
 * Subscriptions in a real browser: sign in → subscribe → pay on the Stripe fake's hosted
 * checkout (which delivers the signed webhooks to the app) → the dashboard shows the agent
 * active → cancel with confirmation → canceled at Stripe and on the page.
 */
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { FAKE_PORTS } from "./support/e2e-env";

const PASSWORD = "correct horse battery staple";
const FAKE_STRIPE = `http://127.0.0.1:${FAKE_PORTS.stripe}`;

async function signUpAndSignIn(page: Page): Promise<{ email: string; token: string }> {
  const email = `billing-${randomUUID().slice(0, 8)}@example.com`;
  const signup = await page.request.post("/api/auth/signup", { data: { email, password: PASSWORD } });
  expect(signup.status()).toBe(201);
  const { access_token: token } = (await signup.json()) as { access_token: string };

  const login = await page.goto("/login?callbackUrl=%2Fdashboard");
  if (login?.ok() && (await page.getByLabel(/email/i).count()) > 0) {
    await page.getByLabel(/email/i).fill(email);
    await page.getByLabel(/password/i).fill(PASSWORD);
    await page.getByRole("button", { name: /sign in|log in/i }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  } else {
    // No sign-in page in this build: next-auth's credentials callback sets the same cookie.
    const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await page.request.post("/api/auth/callback/credentials", {
      form: { csrfToken: csrf.csrfToken, email, password: PASSWORD, callbackUrl: "/dashboard", json: "true" },
      maxRedirects: 0,
    });
    expect(res.status()).toBeLessThan(400);
  }
  return { email, token };
}

async function subscribe(page: Page, name: string): Promise<void> {
  await page.goto("/dashboard");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Workflow").fill("wf_inbox_triage");
  await page.getByLabel("Plan (price id)").fill("price_inbox_triage_monthly");
  await page.getByRole("button", { name: "Subscribe" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${FAKE_STRIPE}/checkout/cs_test_`));
}

test("subscribe, pay on Checkout, see it active, cancel it", { tag: "@fakes" }, async ({ page }) => {
  const { token } = await signUpAndSignIn(page);
  await subscribe(page, "Invoice chaser");

  await page.getByRole("button", { name: "Pay and subscribe" }).click();
  await page.waitForURL(/\/dashboard\/success\?session_id=cs_test_/);
  await expect(page.getByRole("heading", { name: "Subscription confirmed" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Invoice chaser is active. Renews on");

  await page.goto("/dashboard");
  const row = page.getByRole("listitem").filter({ hasText: "Invoice chaser" });
  await expect(row.getByText("Active")).toBeVisible();
  await expect(row.getByTestId("renewal")).toContainText("Renews on");

  await row.getByRole("button", { name: "Cancel" }).click();
  await row.getByRole("button", { name: "Keep it" }).click(); // changing one's mind changes nothing
  await expect(row.getByText("Active")).toBeVisible();
  await row.getByRole("button", { name: "Cancel" }).click();
  await row.getByRole("button", { name: "Yes, cancel" }).click();
  await expect(row.getByText("Canceled")).toBeVisible();
  await expect(row.getByRole("button", { name: "Cancel" })).toHaveCount(0);

  // The API agrees, and Stripe stopped billing.
  const me = await page.request.get("/api/microagents/me", { headers: { authorization: `Bearer ${token}` } });
  const [agent] = (await me.json()) as { status: string; stripe_subscription_id: string }[];
  expect(agent?.status).toBe("canceled");
  const stripeSub = await page.request.get(`${FAKE_STRIPE}/v1/subscriptions/${agent?.stripe_subscription_id}`, {
    headers: { authorization: "Bearer sk_test_e2e" },
  });
  expect(((await stripeSub.json()) as { status: string }).status).toBe("canceled");
});

test(
  "leaving Checkout lands on the cancelled page and the agent stays awaiting payment",
  { tag: "@fakes" },
  async ({ page }) => {
    await signUpAndSignIn(page);
    await subscribe(page, "Abandoned helper");
    await page.getByRole("link", { name: "Cancel and go back" }).click();
    await page.waitForURL(/\/dashboard\/cancelled$/);
    await expect(page.getByRole("heading", { name: "Checkout cancelled" })).toBeVisible();
    await page.goto("/dashboard");
    const row = page.getByRole("listitem").filter({ hasText: "Abandoned helper" });
    await expect(row.getByText("Awaiting payment")).toBeVisible();
  },
);

test("the dashboard sends a visitor without a session to sign-in", async ({ page }) => {
  const response = await page.request.get("/dashboard", { maxRedirects: 0 });
  expect([303, 307, 308]).toContain(response.status());
  expect(response.headers().location).toContain("/login?callbackUrl=%2Fdashboard");
});
