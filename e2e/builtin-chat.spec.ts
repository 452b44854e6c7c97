/**
 * The built-in chat in a real browser, as a person uses it: OpenAI's script is unreachable
 * (as on every machine these tests run on), so CHAT_UI=auto stands the built-in chat in, and
 * every turn goes through the page — typing, pressing Enter, clicking — to our /chatkit and
 * the model. Nothing here talks to /chatkit over page.request.
 *
 * Tests tagged @fakes need the local OpenAI fake's script (its exact words, injected faults,
 * its request log) or the local database; the rest hold for whatever model the deployment has,
 * and those that need a model at all skip, saying why, where GET /api/assistant says none is set.
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import type { AssistantStatus } from "../lib/assistant/status";
import { blockChatKit, seedSavedFacts, signInOverHttp, signUp } from "./support/chat";
import { FAKE_PORTS } from "./support/e2e-env";

const ARTIFACTS = "e2e/artifacts";
const FAKE = `http://127.0.0.1:${FAKE_PORTS.openai}`;

async function openBuiltinChat(page: Page, path = "/chat") {
  const account = await signUp(page.request);
  await signInOverHttp(page, account.email);
  await blockChatKit(page);
  await page.goto(path);
  // Shown once the script has failed and the built-in chat's own code has loaded.
  await expect(page.getByTestId("builtin-chat")).toBeVisible({ timeout: 20_000 });
  return account;
}

const composer = (page: Page) => page.getByRole("textbox", { name: "Message" });
const messages = (page: Page) => page.getByTestId("messages");
const factsPanel = (page: Page) => page.getByTestId("facts-panel");

async function say(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

let known: AssistantStatus | undefined;
/** What the deployment says of its assistant (GET /api/assistant), asked once per run. */
async function assistantStatus(request: APIRequestContext): Promise<AssistantStatus> {
  if (!known) {
    const response = await request.get("/api/assistant");
    expect(response.status()).toBe(200);
    known = (await response.json()) as AssistantStatus;
  }
  return known;
}

/** Skips a test that needs the model to answer when the deployment has none. */
async function needsModel(request: APIRequestContext) {
  const status = await assistantStatus(request);
  test.skip(!status.configured, `this deployment's assistant has no model: ${status.configured ? "" : status.detail}`);
}

/** One fact, asked more plainly each time: a model may answer the first without calling its tool. */
const FACT_ASKS = [
  "My name is Ada.",
  "Please save this fact about me: my name is Ada.",
  "Call the save_fact tool now with this fact about me: my name is Ada.",
];
const THEME_ASKS = ["Please switch to dark mode.", "Call the switch_theme tool now to switch to dark mode."];

/** Sends each message in turn, each after the last turn ended, until `done` holds (at most asks.length turns). */
async function askUntil(page: Page, asks: readonly string[], done: () => Promise<boolean>): Promise<void> {
  for (const [i, text] of asks.entries()) {
    await say(page, text);
    await expect(messages(page).getByTestId("user-message")).toHaveCount(i + 1);
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false", { timeout: 45_000 });
    await expect(page.getByTestId("chat-turn-error")).toHaveCount(0);
    if (await done()) return;
  }
  expect(false, `the model did what was asked in none of ${asks.length} turns`).toBe(true);
}

test.describe("built-in chat", () => {
  test(
    "share a fact → the reply streams → Save on the card → the fact is listed → after a reload the thread is in history with the settled card",
    { tag: "@fakes" },
    async ({ page }) => {
      await openBuiltinChat(page);
      await expect(page.getByTestId("chat-failure")).toContainText("built-in chat");
      await expect(page.getByTestId("start-screen")).toBeVisible();
      await expect(page.getByTestId("facts-empty")).toBeVisible();

      await say(page, "My name is Ada");
      // Enter sent it: the box is empty again and keeps the focus.
      await expect(composer(page)).toHaveValue("");
      await expect(composer(page)).toBeFocused();
      await expect(messages(page).getByTestId("user-message")).toHaveText(/My name is Ada/);

      const card = messages(page).getByTestId("widget-item");
      await expect(card).toContainText("Save this fact?");
      await expect(card).toContainText("User's name is Ada");
      await expect(messages(page).getByTestId("assistant-message").last()).toContainText("Noted: User's name is Ada");
      await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
      await expect(page.getByTestId("chat-announcer")).toContainText("Noted: User's name is Ada");
      // Nothing is saved before the person decides.
      await expect(page.getByTestId("facts-empty")).toBeVisible();

      await card.getByRole("button", { name: "Save" }).click();
      // The card settles in place: a "Saved" badge, no buttons left.
      await expect(card).toContainText("Saved");
      await expect(card.getByRole("button")).toHaveCount(0);
      await expect(messages(page).getByTestId("widget-item")).toHaveCount(1);
      await expect(factsPanel(page).getByTestId("facts-list")).toContainText("User's name is Ada");

      await expect(page).toHaveURL(/[?&]thread=thr_/);
      const threadId = new URL(page.url()).searchParams.get("thread")!;
      await page.reload();
      await expect(page.getByTestId("builtin-chat")).toBeVisible({ timeout: 20_000 });
      const entry = page.getByTestId("chat-history").locator(`[data-thread-id="${threadId}"]`);
      await expect(entry).toContainText("My name is Ada");
      await expect(entry.getByRole("button", { name: /^My name is Ada/ })).toHaveAttribute("aria-current", "page");
      await expect(page.getByTestId("thread-title")).toHaveText("My name is Ada");
      const settled = messages(page).getByTestId("widget-item");
      await expect(settled).toContainText("User's name is Ada");
      await expect(settled).toContainText("Saved");
      await expect(settled.getByRole("button")).toHaveCount(0);
      await expect(factsPanel(page).getByTestId("facts-list")).toContainText("User's name is Ada");
    },
  );

  test("Discard on the card: the card says so and nothing is saved", { tag: "@fakes" }, async ({ page }) => {
    await openBuiltinChat(page);
    await say(page, "I live in Oslo");
    const card = messages(page).getByTestId("widget-item");
    await expect(card).toContainText("User lives in Oslo");
    await card.getByRole("button", { name: "Discard" }).click();
    await expect(card).toContainText("Discarded");
    await expect(card.getByRole("button")).toHaveCount(0);
    // Focus stays on the card, not lost to the page, once its buttons are gone.
    await expect(card).toBeFocused();
    await factsPanel(page).getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByTestId("facts-empty")).toBeVisible();
  });

  test(
    "a new chat: the saved fact reaches the model and comes back in the answer",
    { tag: "@fakes" },
    async ({ page }) => {
      const { userId } = await openBuiltinChat(page);
      await seedSavedFacts(userId, ["User's name is Grace"]);
      await page.getByTestId("new-chat").click();
      await expect(page.getByTestId("start-screen")).toBeVisible();
      await expect(composer(page)).toBeFocused();
      const marker = `recall-${Date.now()}`;
      await say(page, `What do you know about me? ${marker}`);
      await expect(messages(page).getByTestId("assistant-message").last()).toContainText("User's name is Grace");

      const log = (await (await page.request.get(`${FAKE}/__fake/requests?path=/responses`)).json()) as {
        data: { body: unknown }[];
      };
      const sent = log.data.map((r) => JSON.stringify(r.body)).find((b) => b.includes(marker));
      expect(sent).toBeDefined();
      expect(sent).toContain("User's name is Grace");
    },
  );

  test(
    '"switch to dark mode": the client tool switches the page theme and the turn completes',
    { tag: "@fakes" },
    async ({ page }) => {
      await page.addInitScript(() => localStorage.setItem("theme", "light"));
      await openBuiltinChat(page);
      await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
      await say(page, "Please switch to dark mode");
      await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
      await expect(messages(page).getByTestId("client-tool-call")).toContainText("switched the theme");
      await expect(messages(page).getByTestId("assistant-message").last()).toContainText("the theme is now dark");
      await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
    },
  );

  test(
    "Stop during a long reply keeps the partial text, and the next message works",
    { tag: "@fakes" },
    async ({ page }) => {
      await openBuiltinChat(page);
      await say(page, "[slow:40] [deltas:500] tell me everything");
      const reply = messages(page).getByTestId("assistant-message").last();
      await expect(reply).toContainText("w5 ");
      await page.getByRole("button", { name: "Stop the reply" }).click();
      await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
      await expect(composer(page)).toBeFocused();
      const partial = (await reply.textContent()) ?? "";
      expect(partial).toContain("w5");
      expect(partial).not.toContain("w499");

      await say(page, "I like tea");
      await expect(messages(page).getByTestId("widget-item")).toContainText("User likes tea");
      // The stopped reply is still there, as far as it got.
      await expect(messages(page).getByTestId("assistant-message").first()).toContainText("w5");
    },
  );

  test("a model failure shows an inline error, and Retry then succeeds", { tag: "@fakes" }, async ({ page }) => {
    await openBuiltinChat(page);
    const armed = await page.request.post(`${FAKE}/__fake/faults`, {
      data: { fault: "failed", path: "/responses", times: 1 },
    });
    expect(armed.ok()).toBe(true);
    await say(page, "Hello there");
    const error = page.getByTestId("chat-turn-error");
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute("data-kind", "server");
    await error.getByRole("button", { name: "Retry" }).click();
    await expect(error).toHaveCount(0);
    await expect(messages(page).getByTestId("assistant-message").last()).not.toBeEmpty();
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
  });

  test("rename and delete a thread from history; thumbs up on a reply is recorded", async ({ page }) => {
    await needsModel(page.request); // the thumbs are on the model's reply
    await openBuiltinChat(page);
    await say(page, "Hello, nice to meet you");
    await expect(messages(page).getByTestId("assistant-message").last()).not.toBeEmpty();
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");

    const good = page.getByRole("button", { name: "Good reply" });
    await good.click();
    await expect(good).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByText("Thanks for the feedback.")).toBeVisible();

    const history = page.getByTestId("chat-history");
    await history
      .getByRole("button", { name: /^Rename / })
      .first()
      .click();
    const field = history.getByRole("textbox", { name: /New name for/ });
    await field.fill("Greetings");
    await field.press("Enter");
    await expect(history.getByRole("button", { name: /^Greetings/ })).toBeVisible();
    await expect(page.getByTestId("thread-title")).toHaveText("Greetings");
    await page.reload();
    await expect(page.getByTestId("thread-title")).toHaveText("Greetings", { timeout: 20_000 });

    await history.getByRole("button", { name: "Delete Greetings" }).click();
    await history.getByRole("group", { name: "Confirm delete" }).getByRole("button", { name: "Delete" }).click();
    await expect(history.getByRole("button", { name: /^Greetings/ })).toHaveCount(0);
    await expect(page.getByTestId("start-screen")).toBeVisible();
    await expect(page).not.toHaveURL(/thread=/);
  });

  test("a session that expires mid-chat sends the person to sign-in and back to the same thread", async ({ page }) => {
    await openBuiltinChat(page);
    await say(page, "Hello again");
    await expect(page).toHaveURL(/thread=thr_/);
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
    const back = new URL(page.url());
    await page.context().clearCookies();
    await say(page, "Are you still there?");
    await expect(page).toHaveURL(/\/login(\?|$)/);
    const callback = new URL(page.url()).searchParams.get("callbackUrl");
    expect(callback).toBe(`${back.pathname}${back.search}`);
  });

  test("keyboard only: starter prompt, Shift+Enter for a new line, and the phone layout with history in a drawer", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openBuiltinChat(page);
    // The chat fits the phone: nothing of it sticks out sideways.
    const chat = page.getByTestId("builtin-chat");
    expect((await chat.boundingBox())!.width).toBeLessThanOrEqual(390);
    expect(await chat.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    await expect(page.getByTestId("chat-history")).toBeHidden();

    await composer(page).focus();
    await page.keyboard.type("first line");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    await expect(composer(page)).toHaveValue("first line\nsecond line");
    await page.keyboard.press("Enter");
    await expect(messages(page).getByTestId("user-message")).toContainText("second line");
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");

    await page.getByRole("button", { name: "Chat history" }).click();
    const drawer = page.getByTestId("chat-history");
    await expect(drawer).toBeVisible();
    await drawer.getByTestId("new-chat").press("Enter");
    await expect(drawer).toBeHidden();
    await expect(page.getByTestId("start-screen")).toBeVisible();
  });

  test("screenshots of the built-in chat: light and dark, wide and phone", { tag: "@fakes" }, async ({ page }) => {
    const { userId } = await openBuiltinChat(page);
    await seedSavedFacts(userId, ["User's name is Ada", "User lives in Oslo"]);
    await say(page, "I am a nurse");
    await expect(messages(page).getByTestId("widget-item")).toContainText("Save this fact?");
    await say(page, "Tell me how saved facts work");
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
    const url = page.url();
    for (const theme of ["light", "dark"] as const) {
      await page.addInitScript((t) => localStorage.setItem("theme", t), theme);
      for (const [size, viewport] of [
        ["wide", { width: 1280, height: 800 }],
        ["phone", { width: 390, height: 844 }],
      ] as const) {
        await page.setViewportSize(viewport);
        await page.goto(url);
        await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
        await expect(messages(page).getByTestId("widget-item")).toContainText("Save this fact?", { timeout: 20_000 });
        await expect(factsPanel(page)).toContainText("Oslo");
        await page.screenshot({ path: `${ARTIFACTS}/builtin-chat-${theme}-${size}.png` });
      }
    }
  });
});

/**
 * Whatever model the deployment has (a preview's real one, or a stand-in that words things its
 * own way): these assert structure and state, never the model's words, and run where the
 * deployment says its assistant is configured. A handful of short turns per run (see README,
 * "Playwright per preview").
 */
test.describe("built-in chat with the deployment's own model", () => {
  // A real model's turn may take several seconds; three of them and a reload fit in two minutes.
  test.describe.configure({ timeout: 120_000 });
  test.beforeEach(({ request }) => needsModel(request));

  test("a stated fact yields a card with Save and Discard; Save lists the fact; after a reload the thread is in history with the settled card", async ({
    page,
  }) => {
    await openBuiltinChat(page);
    const cards = messages(page).getByTestId("widget-item");
    await askUntil(page, FACT_ASKS, async () => (await cards.count()) > 0);
    const card = cards.first();
    await expect(card.getByRole("button", { name: "Save" })).toBeVisible();
    await expect(card.getByRole("button", { name: "Discard" })).toBeVisible();
    const fact = ((await card.locator("p").first().textContent()) ?? "").trim();
    expect(fact).toMatch(/ada/i);
    // Nothing is saved before the person decides.
    await expect(page.getByTestId("facts-empty")).toBeVisible();

    await card.getByRole("button", { name: "Save" }).click();
    await expect(card).toContainText("Saved");
    await expect(card.getByRole("button")).toHaveCount(0);
    await expect(factsPanel(page).getByTestId("facts-list")).toContainText(fact);

    await expect(page).toHaveURL(/[?&]thread=thr_/);
    const threadId = new URL(page.url()).searchParams.get("thread")!;
    await page.reload();
    await expect(page.getByTestId("builtin-chat")).toBeVisible({ timeout: 20_000 });
    const entry = page.getByTestId("chat-history").locator(`[data-thread-id="${threadId}"]`);
    await expect(entry.getByRole("button", { name: /^My name is Ada/ })).toHaveAttribute("aria-current", "page");
    const settled = messages(page).getByTestId("widget-item").filter({ hasText: fact });
    await expect(settled).toContainText("Saved");
    await expect(settled.getByRole("button")).toHaveCount(0);
    await expect(factsPanel(page).getByTestId("facts-list")).toContainText(fact);
  });

  test("asking for dark mode switches the page theme, and the turn completes", async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem("theme", "light"));
    await openBuiltinChat(page);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
    await askUntil(page, THEME_ASKS, async () => (await page.locator("html").getAttribute("data-theme")) === "dark");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect(messages(page).getByTestId("client-tool-call")).toHaveCount(1);
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
    await expect(page.getByTestId("chat-turn-error")).toHaveCount(0);
  });
});

test("a deployment without a model: the chat says what to set, and offers no Retry", async ({ page, request }) => {
  const status = await assistantStatus(request);
  test.skip(status.configured, "this deployment's assistant has a model, so the chat answers instead");
  await openBuiltinChat(page);
  await say(page, "Hello");
  const error = page.getByTestId("chat-turn-error");
  await expect(error).toContainText("OPENAI_API_KEY");
  await expect(error.getByRole("button", { name: "Retry" })).toHaveCount(0);
  await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");
  await expect(composer(page)).toBeEnabled();
});
