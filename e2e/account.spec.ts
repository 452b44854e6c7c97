/**
 * My account in a real browser: the settings page linked from the header, the data export
 * download (two users side by side), Stripe's billing portal from the dashboard and back,
 * and deleting the account (its Stripe subscription and OpenAI store cleaned up at the fakes,
 * the address free to sign up again), for a password account and a Google-only one.
 */
import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { PASSWORD, saveActionFromStream, signInOverHttp, signUp } from "./support/chat";
import { parseSse } from "./support/sse";
import { E2E_DATABASE_URL, FAKE_PORTS } from "./support/e2e-env";

const FAKE_STRIPE = `http://127.0.0.1:${FAKE_PORTS.stripe}`;
const FAKE_OPENAI = `http://127.0.0.1:${FAKE_PORTS.openai}`;
const ARTIFACTS = "e2e/artifacts";

type ExportDoc = {
  profile: { id: string; email: string; sign_in_methods: string[]; memory_vector_store: { id: string } | null };
  facts: { id: string; text: string; status: string; in_memory: boolean }[];
  threads: { id: string; items: { type: string }[] }[];
  micro_agents: { status: string; stripe_subscription_id: string | null }[];
};

/** A fact told to the assistant and saved from its card, so the account has a thread, items and memory. */
async function tellAndSave(request: APIRequestContext, text: string, headers: Record<string, string> = {}) {
  const created = await request.post("/chatkit", {
    headers,
    data: {
      type: "threads.create",
      params: { input: { content: [{ type: "input_text", text }], attachments: [], inference_options: {} } },
    },
  });
  expect(created.status()).toBe(200);
  const save = saveActionFromStream(parseSse(await created.text()));
  const saved = await request.post("/chatkit", {
    headers,
    data: {
      type: "threads.custom_action",
      params: { thread_id: save.threadId, item_id: save.itemId, action: save.action },
    },
  });
  expect(saved.status()).toBe(200);
}

async function exportOver(request: APIRequestContext, headers: Record<string, string> = {}): Promise<ExportDoc> {
  const res = await request.get("/api/account/export", { headers });
  expect(res.status()).toBe(200);
  return (await res.json()) as ExportDoc;
}

/** Picks the micro-agent `name` from the dashboard's catalogue and pays on the fake checkout. */
async function subscribeAndPay(page: Page, name: string): Promise<void> {
  await page.goto("/dashboard");
  await page.getByRole("button", { name: `Subscribe to ${name}` }).click();
  await page.waitForURL((url) => url.href.startsWith(`${FAKE_STRIPE}/checkout/cs_test_`));
  await page.getByRole("button", { name: "Pay and subscribe" }).click();
  await page.waitForURL(/\/dashboard\/success\?session_id=cs_test_/);
}

/** Another browser (its own cookies) signed in to the same account. */
async function secondBrowser(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const other = await context.newPage();
  await signInOverHttp(other, email);
  await other.goto("/settings");
  await expect(other.getByTestId("account-email")).toHaveText(email);
  return other;
}

async function queuedSubjects(email: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ subject: string }>(
      "select subject from outbound_emails where to_address = $1 order by created_at",
      [email],
    );
    return rows.map((r) => r.subject);
  } finally {
    await client.end();
  }
}

const stripeGet = async (request: APIRequestContext, path: string) =>
  request.get(`${FAKE_STRIPE}${path}`, { headers: { authorization: "Bearer sk_test_e2e" } });

test(
  "settings is linked from the header, shows the account, and downloads its data and nobody else's",
  { tag: "@fakes" },
  async ({ page }) => {
    const other = await signUp(page.request);
    await tellAndSave(page.request, "I live in Oslo", { authorization: `Bearer ${other.token}` });

    const me = await signUp(page.request);
    await signInOverHttp(page, me.email);
    await tellAndSave(page.request, "My name is Kaz");

    await page.goto("/dashboard");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
    await expect(page.getByTestId("account-email")).toHaveText(me.email);
    await expect(page.getByTestId("account-methods")).toHaveText("Password");
    await expect(page.getByTestId("account-created")).toContainText(String(new Date().getUTCFullYear()));
    await expect(page.getByTestId("account-verified")).toHaveText("Not verified yet");
    await page.getByRole("button", { name: "Send a new verification link" }).click();
    await expect(page.getByRole("region", { name: "Account" }).getByRole("status")).toHaveText(
      `We sent a new verification link to ${me.email}.`,
    );
    await page.screenshot({ path: `${ARTIFACTS}/settings.png`, fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download my data" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^facts-chat-export-\d{4}-\d{2}-\d{2}\.json$/);
    const text = await readFile((await download.path())!, "utf8");
    const doc = JSON.parse(text) as ExportDoc;
    expect(doc.profile).toMatchObject({ id: me.userId, email: me.email, sign_in_methods: ["password"] });
    expect(doc.facts.map((f) => [f.text, f.status])).toEqual([["User's name is Kaz", "saved"]]);
    expect(doc.threads).toHaveLength(1);
    expect(doc.threads[0]!.items.map((i) => i.type)).toEqual(expect.arrayContaining(["user_message", "widget"]));
    expect(text).not.toContain(other.email);
    expect(text).not.toContain(other.userId);
    expect(text).not.toContain("Oslo");
  },
);

test(
  "manage billing opens Stripe's portal for the user's customer; a change there reaches the dashboard",
  { tag: "@fakes" },
  async ({ page }) => {
    const me = await signUp(page.request);
    await signInOverHttp(page, me.email);
    await subscribeAndPay(page, "Research digest");

    await page.goto("/dashboard");
    const row = page
      .getByRole("list", { name: "Micro-agents" })
      .getByRole("listitem")
      .filter({ hasText: "Research digest" });
    await expect(row.getByTestId("renewal")).toContainText("Renews on");
    await page.getByRole("button", { name: "Manage billing" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${FAKE_STRIPE}/p/session/bps_`));
    await expect(page.getByRole("heading", { name: "Test billing portal" })).toBeVisible();
    await expect(page.getByText(`Customer: ${me.email}`)).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/billing-portal.png` });

    await page.getByRole("button", { name: "Cancel plan" }).click(); // at period end, as the portal does
    await expect(page.getByText("ends at period end")).toBeVisible();
    await page.getByRole("link", { name: "Return to the app" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(row.getByTestId("renewal")).toContainText("Ends on");
  },
);

test(
  "deleting the account: confirmed by password, every way in ends, Stripe and OpenAI are cleaned up, the email can sign up again",
  { tag: "@fakes" },
  async ({ page }) => {
    const me = await signUp(page.request);
    const bystander = await signUp(page.request);
    await tellAndSave(page.request, "I am a nurse", { authorization: `Bearer ${bystander.token}` });
    await signInOverHttp(page, me.email);
    // A hosted session creates the user's memory store; the fact saved next is copied into it.
    expect((await page.request.post("/api/chatkit/session", { data: {} })).status()).toBe(200);
    await tellAndSave(page.request, "I like tea");
    await subscribeAndPay(page, "Meeting notes");
    await expect.poll(async () => (await exportOver(page.request)).profile.memory_vector_store).not.toBeNull();
    const before = await exportOver(page.request);
    const storeId = before.profile.memory_vector_store!.id;
    const subscriptionId = before.micro_agents[0]!.stripe_subscription_id!;

    await page.goto("/settings");
    const danger = page.getByRole("region", { name: "Delete account" });
    await danger.getByRole("button", { name: "Delete my account…" }).click();
    await danger.getByLabel("Enter your password to confirm").fill("not my password");
    await danger.getByRole("button", { name: "Delete my account for good" }).click();
    await expect(danger.getByRole("alert")).toHaveText("The password is not correct.");
    await danger.getByRole("button", { name: "Keep my account" }).click();
    await expect(page.getByTestId("account-email")).toHaveText(me.email); // nothing happened

    await danger.getByRole("button", { name: "Delete my account…" }).click();
    await danger.getByLabel("Enter your password to confirm").fill(PASSWORD);
    await danger.getByRole("button", { name: "Delete my account for good" }).click();
    await page.waitForURL((url) => url.pathname === "/");

    // No session, token or password reaches the account any more.
    expect((await page.request.get("/api/account")).status()).toBe(401);
    expect(
      (await page.request.get("/api/account", { headers: { authorization: `Bearer ${me.token}` } })).status(),
    ).toBe(401);
    expect(
      (await page.request.post("/api/auth/login", { data: { email: me.email, password: PASSWORD } })).status(),
    ).toBe(401);
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings/);

    // The clean-up runs right after the answer: billing stops at Stripe and the memory store is gone.
    await expect
      .poll(
        async () =>
          ((await (await stripeGet(page.request, `/v1/subscriptions/${subscriptionId}`)).json()) as { status: string })
            .status,
      )
      .toBe("canceled");
    await expect
      .poll(async () =>
        (
          await page.request.get(`${FAKE_OPENAI}/v1/vector_stores/${storeId}`, {
            headers: { authorization: "Bearer sk" },
          })
        ).status(),
      )
      .toBe(404);

    // The bystander keeps everything.
    const theirs = await exportOver(page.request, { authorization: `Bearer ${bystander.token}` });
    expect(theirs.facts.map((f) => f.text)).toEqual(["User is a nurse"]);

    // The address is free again, and the new account starts empty.
    const again = await page.request.post("/api/auth/signup", {
      data: { email: me.email, password: "a brand new one" },
    });
    expect(again.status()).toBe(201);
    const fresh = (await again.json()) as { access_token: string; user: { id: string } };
    expect(fresh.user.id).not.toBe(me.userId);
    const empty = await exportOver(page.request, { authorization: `Bearer ${fresh.access_token}` });
    expect(empty.facts).toEqual([]);
    expect(empty.threads).toEqual([]);
    expect(empty.micro_agents).toEqual([]);
  },
);

test(
  "a Google-only account is offered a password by email and is deleted by typing its address",
  { tag: "@fakes" },
  async ({ page }) => {
    const email = `google-${Date.now().toString(36)}@example.com`;
    await page.goto("/login");
    await page.getByRole("link", { name: "Continue with Google" }).click();
    await page.getByRole("textbox", { name: "Email" }).fill(email);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/chat$/);

    await page.goto("/settings");
    await expect(page.getByTestId("account-methods")).toHaveText("Google");
    await expect(page.getByTestId("account-verified")).toHaveText("Verified"); // Google vouched for the address
    await expect(page.getByRole("form", { name: "Change password" })).toHaveCount(0);
    await page.getByRole("button", { name: "Email me a link to set a password" }).click();
    await expect(page.getByRole("region", { name: "Password" }).getByRole("status")).toHaveText(
      `We sent a link to ${email}. Follow it to choose a password.`,
    );

    const danger = page.getByRole("region", { name: "Delete account" });
    await danger.getByRole("button", { name: "Delete my account…" }).click();
    await danger.getByLabel(/Type your email address/).fill("someone@example.com");
    await danger.getByRole("button", { name: "Delete my account for good" }).click();
    await expect(danger.getByRole("alert")).toHaveText("That is not this account's email address.");
    await danger.getByLabel(/Type your email address/).fill(email.toUpperCase());
    await danger.getByRole("button", { name: "Delete my account for good" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    expect((await page.request.get("/api/account")).status()).toBe(401);
  },
);

test(
  "changing the password keeps this browser signed in and ends the other browser and old tokens",
  { tag: "@fakes" },
  async ({ page, browser }) => {
    const me = await signUp(page.request);
    await signInOverHttp(page, me.email);
    const other = await secondBrowser(browser, me.email);

    await page.goto("/settings");
    const form = page.getByRole("form", { name: "Change password" });
    await form.getByLabel("Current password").fill(PASSWORD);
    await form.getByLabel("New password", { exact: true }).fill("a fresh passphrase");
    await form.getByLabel("Repeat the new password").fill("a different one");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("The new passwords do not match.");

    await form.getByLabel("Current password").fill("not my password");
    await form.getByLabel("Repeat the new password").fill("a fresh passphrase");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("The current password is not correct.");

    await form.getByLabel("Current password").fill(PASSWORD);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toHaveText(
      "Password changed. Every other browser and API token has been signed out.",
    );
    await page.screenshot({ path: `${ARTIFACTS}/settings-password-changed.png` });

    // This browser stays signed in; the other one and the old token do not.
    await page.reload();
    await expect(page.getByTestId("account-email")).toHaveText(me.email);
    await other.goto("/settings");
    await expect(other).toHaveURL(/\/login\?callbackUrl=%2Fsettings/);
    await other.context().close();
    expect(
      (await page.request.get("/api/account", { headers: { authorization: `Bearer ${me.token}` } })).status(),
    ).toBe(401);
    expect(await queuedSubjects(me.email)).toContain("Your password was changed");
    const login = (password: string) => page.request.post("/api/auth/login", { data: { email: me.email, password } });
    expect((await login(PASSWORD)).status()).toBe(401);
    expect((await login("a fresh passphrase")).status()).toBe(200);
  },
);

test("sign out everywhere ends this browser, the other browser and every token", async ({ page, browser }) => {
  const me = await signUp(page.request);
  await signInOverHttp(page, me.email);
  const other = await secondBrowser(browser, me.email);

  await page.goto("/settings");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings/);
  await other.goto("/settings");
  await expect(other).toHaveURL(/\/login\?callbackUrl=%2Fsettings/);
  await other.context().close();
  expect((await page.request.get("/api/account", { headers: { authorization: `Bearer ${me.token}` } })).status()).toBe(
    401,
  );
  // The password is unchanged: signing in again works.
  await signInOverHttp(page, me.email);
  await page.goto("/settings");
  await expect(page.getByTestId("account-email")).toHaveText(me.email);
});
