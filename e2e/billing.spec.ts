/**
 * Subscriptions in a real browser: sign in → pick a micro-agent and a plan from the catalogue
 * (read from the Stripe fake's seed products) → pay on the fake's hosted checkout (which
 * delivers the signed webhooks to the app) → the dashboard shows the agent active → switch
 * plan → cancel with confirmation → canceled at Stripe and on the page.
 */
import { randomUUID } from "node:crypto";
import { expect, test, type Locator, type Page } from "@playwright/test";
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

const card = (page: Page, name: string): Locator =>
  page
    .getByRole("list", { name: "Catalogue" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name }) });
const row = (page: Page, name: string): Locator =>
  page.getByRole("list", { name: "Micro-agents" }).getByRole("listitem").filter({ hasText: name });

async function subscribeFromCard(page: Page, name: string, plan?: "Monthly" | "Yearly"): Promise<void> {
  await page.goto("/dashboard");
  const agent = card(page, name);
  if (plan) await agent.getByText(plan, { exact: false }).click();
  await agent.getByRole("button", { name: `Subscribe to ${name}` }).click();
  await page.waitForURL((url) => url.href.startsWith(`${FAKE_STRIPE}/checkout/cs_test_`));
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test(
  "a person picks an agent from the catalogue, pays, sees it active, switches plan and cancels",
  { tag: "@fakes" },
  async ({ page }) => {
    const { token } = await signUpAndSignIn(page);
    await page.goto("/dashboard");

    // The catalogue: names, descriptions, prices per interval, a plan choice where there are several.
    await expect(page.getByRole("list", { name: "Catalogue" }).getByRole("listitem")).toHaveCount(3);
    const inbox = card(page, "Inbox triage");
    await expect(inbox).toContainText("drafts replies for you to approve");
    await expect(inbox.getByTestId("price")).toHaveText("$9 / month");
    await inbox.getByText("Yearly").click();
    await expect(inbox.getByTestId("price")).toHaveText("$90 / year");
    await inbox.getByText("Monthly").click();
    await expect(card(page, "Research digest")).toContainText("Monthly plan");
    await expect(card(page, "Research digest").getByRole("radio")).toHaveCount(0);
    await expect(page.getByLabel("Workflow")).toHaveCount(0); // nobody types an id
    await shoot(page, "catalogue-light");

    await subscribeFromCard(page, "Inbox triage", "Monthly");
    await expect(page.getByText("Inbox triage — 9.00 USD / month")).toBeVisible();
    await page.getByRole("button", { name: "Pay and subscribe" }).click();
    await page.waitForURL(/\/dashboard\/success\?session_id=cs_test_/);
    await expect(page.getByRole("status")).toContainText("Inbox triage is active");

    await page.goto("/dashboard");
    await expect(inbox.getByText("Subscribed")).toBeVisible();
    await expect(inbox).toContainText("You are on the monthly plan.");
    await expect(inbox.getByRole("radio")).toHaveCount(0);
    await expect(inbox.getByRole("button", { name: "Subscribe to Inbox triage" })).toHaveCount(0);
    const agent = row(page, "Inbox triage");
    await expect(agent.getByText("Active")).toBeVisible();
    await expect(agent.getByTestId("plan")).toContainText("Monthly · $9 / month");
    await expect(agent.getByTestId("renewal")).toContainText("Renews on");
    await shoot(page, "dashboard-active-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await shoot(page, "dashboard-active-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await page.reload();

    // Manage leads to the agent's row.
    await inbox.getByRole("link", { name: "Manage Inbox triage" }).click();
    await expect(page).toHaveURL(/#agent-/);

    // Monthly → yearly, with a confirmation; the row shows the new plan and period.
    const renewsMonthly = await agent.getByTestId("renewal").textContent();
    await agent.getByRole("button", { name: "Switch to yearly" }).click();
    await agent.getByRole("button", { name: "Keep my plan" }).click();
    await expect(agent.getByTestId("plan")).toContainText("Monthly · $9 / month");
    await agent.getByRole("button", { name: "Switch to yearly" }).click();
    await expect(agent.getByRole("group")).toContainText("Switch to $90 / year?");
    await agent.getByRole("button", { name: "Yes, switch" }).click();
    await expect(agent.getByTestId("plan")).toContainText("Yearly · $90 / year");
    await expect(agent.getByTestId("renewal")).not.toHaveText(renewsMonthly ?? "");
    await expect(agent.getByRole("button", { name: "Switch to monthly" })).toBeVisible();
    await expect(inbox).toContainText("You are on the yearly plan.");
    await expect(inbox.getByTestId("price")).toHaveText("$90 / year");
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, "dashboard-yearly-phone");
    await page.setViewportSize({ width: 1280, height: 720 });

    // The API, Stripe and the webhook agree.
    const me = await page.request.get("/api/microagents/me", { headers: { authorization: `Bearer ${token}` } });
    const [held] = (await me.json()) as { status: string; stripe_price_id: string; stripe_subscription_id: string }[];
    expect(held).toMatchObject({ status: "active", stripe_price_id: "price_inbox_triage_yearly" });
    const stripeHeaders = { authorization: "Bearer sk_test_e2e" };
    const sub = await page.request.get(`${FAKE_STRIPE}/v1/subscriptions/${held?.stripe_subscription_id}`, {
      headers: stripeHeaders,
    });
    expect(((await sub.json()) as { items: { data: { price: { id: string } }[] } }).items.data[0]?.price.id).toBe(
      "price_inbox_triage_yearly",
    );
    const { data: events, deliveries } = (await (await page.request.get(`${FAKE_STRIPE}/_fake/events`)).json()) as {
      data: { id: string; type: string; data: { object: { id: string } } }[];
      deliveries: { eventId: string; status: number }[];
    };
    const updated = events.filter(
      (e) => e.type === "customer.subscription.updated" && e.data.object.id === held?.stripe_subscription_id,
    );
    expect(updated.length).toBeGreaterThan(0);
    for (const e of updated) expect(deliveries.find((d) => d.eventId === e.id)?.status).toBe(200);

    // Cancel: billing stops at Stripe, the card offers Subscribe again.
    await agent.getByRole("button", { name: "Cancel" }).click();
    await agent.getByRole("button", { name: "Yes, cancel" }).click();
    await expect(agent.getByText("Canceled")).toBeVisible();
    await expect(agent.getByRole("button", { name: "Cancel" })).toHaveCount(0);
    await expect(agent.getByRole("button", { name: /Switch to/ })).toHaveCount(0);
    await expect(inbox.getByRole("button", { name: "Subscribe to Inbox triage" })).toBeVisible();
    const after = await page.request.get(`${FAKE_STRIPE}/v1/subscriptions/${held?.stripe_subscription_id}`, {
      headers: stripeHeaders,
    });
    expect(((await after.json()) as { status: string }).status).toBe("canceled");
  },
);

test(
  "on a phone the catalogue stacks into one column and still offers each plan",
  { tag: "@fakes" },
  async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signUpAndSignIn(page);
    await page.goto("/dashboard");
    const cards = page.getByRole("list", { name: "Catalogue" }).getByRole("listitem");
    await expect(cards).toHaveCount(3);
    const [a, b] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
    expect(b!.y).toBeGreaterThan(a!.y + a!.height - 1); // stacked, not side by side
    expect(a!.width).toBeLessThanOrEqual(390);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390); // nothing runs off the screen
    await shoot(page, "catalogue-phone");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await shoot(page, "catalogue-phone-dark");
  },
);

test(
  "leaving Checkout lands on the cancelled page and the agent stays awaiting payment on the chosen plan",
  { tag: "@fakes" },
  async ({ page }) => {
    await signUpAndSignIn(page);
    await subscribeFromCard(page, "Meeting notes", "Yearly");
    await expect(page.getByText("Meeting notes — 150.00 USD / year")).toBeVisible();
    await page.getByRole("link", { name: "Cancel and go back" }).click();
    await page.waitForURL(/\/dashboard\/cancelled$/);
    await expect(page.getByRole("heading", { name: "Checkout cancelled" })).toBeVisible();
    await page.goto("/dashboard");
    const agent = row(page, "Meeting notes");
    await expect(agent.getByText("Awaiting payment")).toBeVisible();
    await expect(agent.getByTestId("plan")).toContainText("Yearly · $150 / year");
    // An unpaid checkout does not hold the agent: the card still offers it.
    await expect(card(page, "Meeting notes").getByRole("button", { name: "Subscribe to Meeting notes" })).toBeVisible();
  },
);

test(
  "a first payment that needs confirmation: the dashboard says so and links to Stripe's invoice; paying it there activates the agent",
  { tag: "@fakes" },
  async ({ page }) => {
    await signUpAndSignIn(page);
    await subscribeFromCard(page, "Inbox triage", "Monthly");
    // This customer's bank asks for confirmation (3-D Secure) on the first charge.
    const sessionId = new URL(page.url()).pathname.split("/").pop()!;
    const session = await page.request.get(`${FAKE_STRIPE}/v1/checkout/sessions/${sessionId}`, {
      headers: { authorization: "Bearer sk_test_e2e" },
    });
    const { customer } = (await session.json()) as { customer: string };
    const set = await page.request.post(
      `${FAKE_STRIPE}/_fake/customers/${customer}/payment-outcome?outcome=requires_action`,
    );
    expect(set.status()).toBe(200);
    await page.getByRole("button", { name: "Pay and subscribe" }).click();
    await page.waitForURL(/\/dashboard\/success\?session_id=cs_test_/);

    await page.goto("/dashboard");
    const agent = row(page, "Inbox triage");
    await expect(agent.getByText("Awaiting payment")).toBeVisible();
    await expect(agent.getByTestId("payment-due")).toContainText("did not go through or needs your confirmation");
    // Nothing is unlocked: the catalogue still offers the agent.
    await expect(card(page, "Inbox triage").getByRole("button", { name: "Subscribe to Inbox triage" })).toBeVisible();
    await shoot(page, "dashboard-payment-due");

    await agent.getByRole("link", { name: /Pay the open invoice for Inbox triage/ }).click();
    await page.waitForURL((url) => url.href.startsWith(`${FAKE_STRIPE}/i/in_`));
    await page.getByRole("button", { name: "Pay invoice" }).click();
    await expect(page.getByTestId("invoice-status")).toHaveText("paid");

    await page.goto("/dashboard");
    await expect(agent.getByText("Active")).toBeVisible();
    await expect(agent.getByTestId("payment-due")).toHaveCount(0);
  },
);

test("the dashboard sends a visitor without a session to sign-in", async ({ page }) => {
  const response = await page.request.get("/dashboard", { maxRedirects: 0 });
  expect([303, 307, 308]).toContain(response.status());
  expect(response.headers().location).toContain("/login?callbackUrl=%2Fdashboard");
});
