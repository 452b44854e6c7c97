/**
 * axe-core on every page view a person meets, in the light and the dark theme, at desktop width
 * and on a 390px phone: no violation of any impact is allowed (every rule axe runs by default,
 * best practices included, e.g. one h1 per page and no skipped heading level).
 *
 * ChatKit's script cannot be downloaded on the machines these tests run on. The e2e server runs
 * CHAT_UI=auto, so /chat shows what a person offline would see: the built-in chat standing in,
 * with the note saying why. ChatKit's own panel is checked with the suite's stand-in element
 * served as the script (the page's wrapper, status and options around it are ours).
 */
import { expect as baseExpect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { expectNoFindings, scanInThemesAndSizes } from "./support/a11y";
import { blockChatKit, fakeChatKit, seedSavedFacts, signInOverHttp, signUp } from "./support/chat";
import { FAKE_PORTS } from "./support/e2e-env";

// Chat turns go through the app and the OpenAI fake: on a busy runner one can take longer than 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });

const FAKE_STRIPE = `http://127.0.0.1:${FAKE_PORTS.stripe}`;

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  return { context, page: await context.newPage() };
}

async function open(page: Page, path: string, ready: () => Promise<void>) {
  await page.goto(path);
  await ready();
}

// axe's colour-contrast pass over a long page (/docs) is slow on a busy 2-core runner, and a
// trace would record every result axe hands back; a failure lists each finding and where anyway.
test.describe.configure({ timeout: 240_000 });
test.use({ trace: "off" });

test.describe("axe: signed-out pages", () => {
  let context: BrowserContext;
  let page: Page;
  test.beforeAll(async ({ browser }) => ({ context, page } = await newPage(browser)));
  test.afterAll(() => context.close());

  const views = [
    { name: "landing", path: "/", ready: (p: Page) => expect(p.getByRole("heading", { level: 1 })).toBeVisible() },
    { name: "sign-in", path: "/login", ready: (p: Page) => expect(p.getByLabel("Email")).toBeVisible() },
    { name: "sign-up", path: "/signup", ready: (p: Page) => expect(p.getByLabel("Confirm password")).toBeVisible() },
    {
      name: "forgot password",
      path: "/forgot-password",
      ready: (p: Page) => expect(p.getByLabel("Email")).toBeVisible(),
    },
    {
      name: "reset password",
      path: "/reset-password?token=a-token-from-an-email",
      ready: (p: Page) => expect(p.getByRole("heading", { name: "Choose a new password" })).toBeVisible(),
    },
    {
      name: "email verification",
      path: "/verify-email?token=a-token-from-an-email",
      ready: (p: Page) => expect(p.getByRole("heading", { name: "Confirm your email" })).toBeVisible(),
    },
    { name: "/docs", path: "/docs", ready: (p: Page) => expect(p.getByRole("heading", { level: 1 })).toBeVisible() },
    {
      name: "not found",
      path: "/no-such-page",
      ready: (p: Page) => expect(p.getByRole("heading", { level: 1 })).toBeVisible(),
    },
  ];
  for (const view of views) {
    test(`${view.name} has no axe violations in either theme, on desktop or phone`, async () => {
      // ~8000 elements: one axe pass took 181 s on a 2-core machine running ~14 jobs at once.
      if (view.path === "/docs") test.setTimeout(900_000);
      expectNoFindings(
        view.name,
        await scanInThemesAndSizes(page, () => open(page, view.path, () => view.ready(page))),
      );
    });
  }
});

test.describe("axe: signed-in pages", { tag: "@fakes" }, () => {
  let context: BrowserContext;
  let page: Page;
  let userId = "";

  test.beforeAll(async ({ browser }) => {
    ({ context, page } = await newPage(browser));
    const account = await signUp(page.request);
    userId = account.userId;
    await signInOverHttp(page, account.email);
  });
  test.afterAll(() => context.close());

  const builtinReady = async () => {
    await expect(page.getByTestId("builtin-chat")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("chat-history")).toHaveAttribute("data-status", "ready");
    await expect(page.getByTestId("facts-panel")).toHaveAttribute("data-status", "ready");
  };

  test("chat offline (the built-in chat stands in for ChatKit's component) has no axe violations", async () => {
    await blockChatKit(page);
    expectNoFindings("chat, built-in", await scanInThemesAndSizes(page, () => open(page, "/chat", builtinReady)));
  });

  test("chat with a reply, a fact card, history and saved facts has no axe violations", async () => {
    await blockChatKit(page);
    await seedSavedFacts(userId, ["User likes green tea"]);
    await open(page, "/chat", builtinReady);
    await page.getByRole("textbox", { name: "Message" }).fill("My name is Ada");
    await page.getByRole("textbox", { name: "Message" }).press("Enter");
    await expect(page.getByTestId("widget-item")).toContainText("User's name is Ada");
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
    const thread = page.url();
    const ready = async () => {
      await builtinReady();
      await expect(page.getByTestId("widget-item").getByRole("button", { name: /^Save/ })).toBeVisible();
      await expect(page.getByTestId("facts-list")).toContainText("green tea");
    };
    expectNoFindings("chat, conversation", await scanInThemesAndSizes(page, () => open(page, thread, ready)));
  });

  test("chat with ChatKit's component has no axe violations", async () => {
    await fakeChatKit(page);
    const ready = async () => {
      await expect(page.getByTestId("chat-panel")).toHaveAttribute("data-phase", "ready", { timeout: 20_000 });
      await expect(page.getByTestId("facts-panel")).toHaveAttribute("data-status", "ready");
    };
    expectNoFindings("chat, ChatKit panel", await scanInThemesAndSizes(page, () => open(page, "/chat", ready)));
    await page.unroute("**/chatkit.js");
  });

  test("settings has no axe violations", async () => {
    const ready = () => expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expectNoFindings("settings", await scanInThemesAndSizes(page, () => open(page, "/settings", ready)));
  });

  test("the dashboard without subscriptions has no axe violations", async () => {
    const ready = () => expect(page.getByRole("list", { name: "Catalogue" }).getByRole("listitem")).toHaveCount(3);
    expectNoFindings("dashboard, none", await scanInThemesAndSizes(page, () => open(page, "/dashboard", ready)));
  });

  test("checkout success and the dashboard with a subscription have no axe violations", async () => {
    await page.goto("/dashboard");
    await page.getByRole("button", { name: "Subscribe to Inbox triage" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${FAKE_STRIPE}/checkout/`));
    await page.getByRole("button", { name: "Pay and subscribe" }).click();
    await page.waitForURL(/\/dashboard\/success\?session_id=/);
    const success = page.url();
    const successReady = () => expect(page.getByRole("status")).toContainText("Inbox triage is active");
    expectNoFindings("checkout success", await scanInThemesAndSizes(page, () => open(page, success, successReady)));

    const ready = () =>
      expect(page.getByRole("list", { name: "Micro-agents" }).getByRole("listitem")).toContainText("Active");
    expectNoFindings("dashboard, subscribed", await scanInThemesAndSizes(page, () => open(page, "/dashboard", ready)));
  });

  test("checkout cancelled has no axe violations", async () => {
    const ready = () => expect(page.getByRole("heading", { name: "Checkout cancelled" })).toBeVisible();
    expectNoFindings(
      "checkout cancelled",
      await scanInThemesAndSizes(page, () => open(page, "/dashboard/cancelled", ready)),
    );
  });
});
