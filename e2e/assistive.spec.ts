/**
 * What screen-reader users, people who turn animations off and people who enlarge the text get
 * from the chat and the pages around it: the streaming reply announced once it has settled (not
 * token by token), saved/discarded/error notices announced, a name on every control, the fact
 * card's buttons saying which fact they act on, `prefers-reduced-motion` honoured, and the text
 * at 200 % with every control still there and nothing running off the side at 1280px.
 */
import { expect as baseExpect, test, type BrowserContext, type Page } from "@playwright/test";
import { DESKTOP } from "./support/a11y";
import { blockChatKit, seedSavedFacts, signInOverHttp, signUp } from "./support/chat";
import { FAKE_PORTS } from "./support/e2e-env";

// Chat turns go through the app and the OpenAI fake: on a busy runner one can take longer than 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });

const FAKE_OPENAI = `http://127.0.0.1:${FAKE_PORTS.openai}`;

// Each test walks several chat turns; a busy 2-core runner needs more than the default minute.
test.describe.configure({ timeout: 150_000 });

test.describe("the chat with a screen reader", { tag: "@fakes" }, () => {
  test.describe.configure({ mode: "serial" });
  let context: BrowserContext;
  let page: Page;
  let userId = "";

  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    page = await context.newPage();
    const account = await signUp(page.request);
    userId = account.userId;
    await signInOverHttp(page, account.email);
    await blockChatKit(page);
  });
  test.afterAll(() => context.close());

  const composer = () => page.getByRole("textbox", { name: "Message" });
  const announcer = () => page.getByTestId("chat-announcer");

  async function openChat() {
    await page.goto("/chat");
    await expect(page.getByTestId("builtin-chat")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("facts-panel")).toHaveAttribute("data-status", "ready");
  }

  test("a streamed reply reaches the polite live region once, whole, when it has settled — not token by token", async () => {
    await openChat();
    await expect(announcer()).toHaveAttribute("aria-live", "polite");
    // Record every text any live region of the page holds while the reply streams.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __live: string[] }).__live = seen;
      const live = () => [
        ...document.querySelectorAll("[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]"),
      ];
      new MutationObserver(() => {
        for (const el of live()) {
          const text = el.textContent ?? "";
          if (text && !seen.includes(text)) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await composer().fill("[deltas:40] tell me a long story");
    await composer().press("Enter");
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
    const reply = (await page.getByTestId("assistant-message").last().innerText()).replace(/^Assistant said:\s*/, "");
    expect(reply.length).toBeGreaterThan(40);
    await expect(announcer()).toHaveText(`Assistant: ${reply.trim()}`);
    const texts = await page.evaluate(() => (window as unknown as { __live: string[] }).__live);
    const fromAnnouncer = texts.filter((t) => t.startsWith("Assistant") || t.startsWith("The assistant"));
    // "The assistant is replying…", then the whole reply: never a growing prefix of it.
    expect(fromAnnouncer).toEqual(["The assistant is replying…", `Assistant: ${reply.trim()}`]);
    expect(texts.filter((t) => reply.startsWith(t.trim()) && t.trim() !== reply.trim())).toEqual([]);
  });

  test("the fact card's buttons name the fact; saving and discarding are announced", async () => {
    await openChat();
    await composer().fill("My name is Ada");
    await composer().press("Enter");
    const card = page.getByTestId("widget-item");
    await expect(card).toContainText("User's name is Ada");
    await expect(card.getByRole("button", { name: "Save" })).toHaveAccessibleDescription(/User's name is Ada/);
    await expect(card.getByRole("button", { name: "Discard" })).toHaveAccessibleDescription(/User's name is Ada/);
    await card.getByRole("button", { name: "Save" }).click();
    await expect(announcer()).toHaveText(/Saved.*User's name is Ada/);

    await page.getByRole("button", { name: "New chat" }).first().click();
    await composer().fill("I live in Oslo");
    await composer().press("Enter");
    const second = page.getByTestId("widget-item");
    await expect(second.getByRole("button", { name: "Discard" })).toHaveAccessibleDescription(/User lives in Oslo/);
    await second.getByRole("button", { name: "Discard" }).click();
    await expect(announcer()).toHaveText(/Discarded.*User lives in Oslo/);

    // Removing from the saved list is announced in the panel's status, with Undo.
    const facts = page.getByTestId("facts-panel");
    await facts.getByRole("button", { name: "Remove fact: User's name is Ada" }).click();
    await expect(facts.getByRole("status")).toHaveText(/Removed “User's name is Ada”/);
  });

  test("a failed turn is announced as an alert", async () => {
    await openChat();
    const armed = await page.request.post(`${FAKE_OPENAI}/__fake/faults`, {
      data: { fault: "failed", path: "/responses", times: 1 },
    });
    expect(armed.ok()).toBe(true);
    await composer().fill("Hello there");
    await composer().press("Enter");
    await expect(page.getByRole("alert").filter({ hasText: /Retry/ })).toBeVisible();
    await expect(announcer()).toHaveText("The reply failed.");
  });

  test("every control on the chat page has an accessible name", async () => {
    await seedSavedFacts(userId, ["User likes green tea"]);
    await openChat();
    await composer().fill("I like coffee");
    await composer().press("Enter");
    await expect(page.getByTestId("widget-item")).toContainText("User likes coffee");
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
    let checked = 0;
    for (const role of ["button", "link", "textbox", "checkbox", "radio", "combobox"] as const) {
      for (const control of await page.getByRole(role).all()) {
        await expect(control).toHaveAccessibleName(/\S/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });
});

test.describe("motion and text size", { tag: "@fakes" }, () => {
  test.describe.configure({ mode: "serial" });
  let context: BrowserContext;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: DESKTOP });
    page = await context.newPage();
    const account = await signUp(page.request);
    await signInOverHttp(page, account.email);
    await blockChatKit(page);
  });
  test.afterAll(() => context.close());

  /** The computed animation and transition of an element using the app's spinner and transition classes. */
  const motionOf = () =>
    page.evaluate(() => {
      const probe = document.createElement("span");
      probe.className = "animate-spin transition";
      document.body.append(probe);
      const s = getComputedStyle(probe);
      const result = {
        animation: parseFloat(s.animationDuration) * (s.animationDuration.endsWith("ms") ? 1 : 1000),
        iterations: s.animationIterationCount,
        transition: parseFloat(s.transitionDuration) * (s.transitionDuration.endsWith("ms") ? 1 : 1000),
      };
      probe.remove();
      return result;
    });

  test("with reduced motion asked for, animations and transitions are cut to nothing", async () => {
    await page.goto("/chat");
    await expect(page.getByTestId("builtin-chat")).toBeVisible({ timeout: 20_000 });
    await page.emulateMedia({ reducedMotion: "no-preference" });
    const moving = await motionOf();
    expect(moving.animation).toBeGreaterThanOrEqual(500);
    expect(moving.iterations).toBe("infinite");
    expect(moving.transition).toBeGreaterThan(50);

    await page.emulateMedia({ reducedMotion: "reduce" });
    const still = await motionOf();
    expect(still.animation).toBeLessThan(1);
    expect(still.iterations).toBe("1");
    expect(still.transition).toBeLessThan(1);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior)).toBe("auto");
    await page.emulateMedia({ reducedMotion: "no-preference" });
  });

  /** Doubles the root font size (what "text size 200 %" does) and lists what no longer fits. */
  async function at200(path: string, ready: () => Promise<void>) {
    await page.goto(path);
    await ready();
    await page.evaluate(() => (document.documentElement.style.fontSize = "200%"));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} runs ${overflow}px off the side at 200 % text`).toBeLessThanOrEqual(0);
  }

  test("at 200 % text the chat, dashboard and settings keep every control, and nothing overflows at 1280px", async () => {
    await at200("/chat", () => expect(page.getByTestId("builtin-chat")).toBeVisible({ timeout: 20_000 }));
    for (const name of ["Chat", "Dashboard", "Settings"]) {
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name })).toBeInViewport();
    }
    await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
    const composer = page.getByRole("textbox", { name: "Message" });
    await composer.scrollIntoViewIfNeeded();
    await expect(composer).toBeInViewport();
    await composer.fill("I like tea");
    await page.getByRole("button", { name: "Send message" }).click();
    const card = page.getByTestId("widget-item");
    await expect(card).toContainText("User likes tea");
    await card.getByRole("button", { name: "Save" }).scrollIntoViewIfNeeded();
    await card.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("facts-list")).toContainText("User likes tea");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    await at200("/dashboard", () =>
      expect(page.getByRole("list", { name: "Catalogue" }).getByRole("listitem")).toHaveCount(3),
    );
    const subscribe = page.getByRole("button", { name: "Subscribe to Inbox triage" });
    await subscribe.scrollIntoViewIfNeeded();
    await expect(subscribe).toBeInViewport();

    await at200("/settings", () => expect(page.getByRole("heading", { level: 1 })).toBeVisible());
    const change = page.getByRole("button", { name: "Change password" });
    await change.scrollIntoViewIfNeeded();
    await expect(change).toBeInViewport();

    await at200("/", () => expect(page.getByRole("heading", { level: 1 })).toBeVisible());
    await at200("/docs", () => expect(page.getByRole("heading", { level: 1 })).toBeVisible());
  });
});
