/**
 * The whole journey from the keyboard alone — Tab, Shift+Tab, Enter, Space and Escape to move and
 * act, typing only into fields: sign up, send a message, Save on the fact card, find the fact in the
 * list and discard it, open the history and switch threads, subscribe and switch plan, change the
 * password. Every element the focus stops on must show it (an outline), and after each action the
 * focus must land where the person continues (the composer after sending, the card after saving…).
 */
import { randomUUID } from "node:crypto";
import { expect as baseExpect, test, type Locator, type Page } from "@playwright/test";
import { focusIndicator, PHONE } from "./support/a11y";
import { blockChatKit, PASSWORD, signInOverHttp, signUp } from "./support/chat";
import { FAKE_PORTS } from "./support/e2e-env";

// Chat turns go through the app and the OpenAI fake: on a busy runner one can take longer than 5 s.
const expect = baseExpect.configure({ timeout: 15_000 });

const FAKE_STRIPE = `http://127.0.0.1:${FAKE_PORTS.stripe}`;

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus. Every element the focus stops on on
 * the way must show a focus indicator (`checkIndicator: false` only on pages that are not ours).
 */
async function tabTo(
  page: Page,
  target: Locator,
  { back = false, max = 60, checkIndicator = true }: { back?: boolean; max?: number; checkIndicator?: boolean } = {},
): Promise<void> {
  await expect(target).toBeVisible();
  for (let i = 0; i <= max; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const focused = page.locator(":focus");
    if (checkIndicator && (await focused.count()) === 1) {
      const where = await focused.evaluate((el) => `${el.tagName} ${el.getAttribute("aria-label") ?? el.textContent}`);
      expect(await focusIndicator(focused), `focus indicator on ${where.slice(0, 80)}`).toBe("visible");
    }
  }
  throw new Error(`the focus never reached ${String(target)} after ${max} presses`);
}

async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.type(text);
}

test(
  "sign up, chat, save and discard a fact, switch threads, subscribe and switch plan, change the password — keyboard only",
  { tag: "@fakes" },
  async ({ page }) => {
    test.setTimeout(300_000);
    const email = `keys-${randomUUID().slice(0, 8)}@example.com`;
    await blockChatKit(page); // offline: the built-in chat stands in

    // Sign up.
    await page.goto("/signup");
    await typeInto(page, page.getByLabel("Email"), email);
    await typeInto(page, page.getByLabel("Password", { exact: true }), PASSWORD);
    await typeInto(page, page.getByLabel("Confirm password"), PASSWORD);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/chat$/);
    await expect(page.getByTestId("builtin-chat")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("chat-history")).toHaveAttribute("data-status", "ready");

    // Send a message: the focus stays in the composer.
    const composer = page.getByRole("textbox", { name: "Message" });
    await typeInto(page, composer, "My name is Ada");
    await page.keyboard.press("Enter");
    await expect(composer).toBeFocused();
    const card = page.getByTestId("widget-item");
    await expect(card).toContainText("User's name is Ada");
    await expect(page.getByTestId("builtin-chat")).toHaveAttribute("data-streaming", "false");

    // Save on the card (back up from the composer): the card settles and keeps the focus in the thread.
    await tabTo(page, card.getByRole("button", { name: "Save" }), { back: true });
    await page.keyboard.press("Enter");
    await expect(card).toContainText("Saved");
    await expect(card).toBeFocused();
    const facts = page.getByTestId("facts-list");
    await expect(facts).toContainText("User's name is Ada");

    // Find it in the saved facts and discard it: the focus moves to Undo, the removal is announced.
    await tabTo(page, facts.getByRole("button", { name: "Remove fact: User's name is Ada" }));
    await page.keyboard.press("Space");
    const undo = page.getByRole("button", { name: "Undo" });
    await expect(undo).toBeFocused();
    await expect(page.getByTestId("facts-panel").getByRole("status")).toContainText("Removed “User's name is Ada”.");
    await expect(page.getByTestId("facts-empty")).toBeVisible();

    // A second thread, then back to the first through the history.
    await tabTo(page, page.getByRole("button", { name: "New chat" }), { back: true, max: 80 });
    await page.keyboard.press("Enter");
    await expect(composer).toBeFocused();
    await page.keyboard.type("I live in Oslo");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("widget-item")).toContainText("User lives in Oslo");
    await expect(page.getByTestId("thread-title")).toHaveText("I live in Oslo");
    const history = page.getByTestId("chat-history");
    await tabTo(page, history.getByRole("button", { name: /^My name is Ada/ }), { back: true, max: 80 });
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("thread-title")).toHaveText("My name is Ada");
    await expect(history.getByRole("button", { name: /^My name is Ada/ })).toHaveAttribute("aria-current", "page");
    await expect(composer).toBeFocused();

    // The dashboard: subscribe through checkout, then switch to the yearly plan.
    await tabTo(page, page.getByRole("link", { name: "Dashboard" }), { back: true, max: 80 });
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: "Micro-agents" })).toBeVisible();
    await tabTo(page, page.getByRole("button", { name: "Subscribe to Inbox triage" }));
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.href.startsWith(`${FAKE_STRIPE}/checkout/`));
    await tabTo(page, page.getByRole("button", { name: "Pay and subscribe" }), { checkIndicator: false });
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/dashboard\/success\?session_id=/);
    await expect(page.getByRole("status")).toContainText("Inbox triage is active");
    await tabTo(page, page.getByRole("link", { name: "Back to the dashboard" }));
    await page.keyboard.press("Enter");
    const row = page.getByRole("list", { name: "Micro-agents" }).getByRole("listitem").filter({ hasText: "Inbox" });
    await expect(row.getByTestId("plan")).toContainText("Monthly");
    await tabTo(page, row.getByRole("button", { name: "Switch to yearly" }));
    await page.keyboard.press("Enter");
    // The confirmation takes the focus; Escape keeps the plan and gives the focus back.
    await expect(row.getByRole("button", { name: "Yes, switch" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(row.getByRole("button", { name: "Switch to yearly" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(row.getByRole("button", { name: "Yes, switch" })).toBeFocused();
    await page.keyboard.press("Space");
    await expect(row.getByTestId("plan")).toContainText("Yearly · $90 / year");
    await expect(row.getByRole("button", { name: "Switch to monthly" })).toBeFocused();

    // Settings: change the password; the result is announced and the focus stays in the form.
    await tabTo(page, page.getByRole("link", { name: "Settings" }), { back: true, max: 80 });
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    const form = page.getByRole("form", { name: "Change password" });
    await typeInto(page, form.getByLabel("Current password", { exact: true }), PASSWORD);
    await typeInto(page, form.getByLabel("New password", { exact: true }), "a brand new passphrase");
    await typeInto(page, form.getByLabel("Repeat the new password", { exact: true }), "a brand new passphrase");
    await page.keyboard.press("Enter");
    await expect(form.getByRole("status")).toHaveText(/Password changed/);
    // Enter was pressed in the last field: the focus stays there, in the form, not lost to the page.
    await expect(form.getByLabel("Repeat the new password", { exact: true })).toBeFocused();
  },
);

test(
  "on a phone the history drawer is a dialog: it takes the focus, keeps it inside, and Escape gives it back",
  { tag: "@fakes" },
  async ({ page }) => {
    await page.setViewportSize(PHONE);
    const account = await signUp(page.request);
    await signInOverHttp(page, account.email);
    await blockChatKit(page);
    await page.goto("/chat");
    await expect(page.getByTestId("builtin-chat")).toBeVisible({ timeout: 20_000 });

    const opener = page.getByRole("button", { name: "Chat history", exact: true });
    await tabTo(page, opener);
    await page.keyboard.press("Enter");
    const drawer = page.getByRole("dialog", { name: "Chat history" });
    await expect(drawer).toBeVisible();
    await expect(opener).toHaveAttribute("aria-expanded", "true");
    await expect(drawer.getByRole("button", { name: "Close", exact: true })).toBeFocused();
    // Tab and Shift+Tab cycle inside the drawer.
    for (const key of ["Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]) {
      await page.keyboard.press(key);
      expect(await drawer.evaluate((el) => el.contains(document.activeElement))).toBe(true);
      expect(await focusIndicator(page.locator(":focus"))).toBe("visible");
    }
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(opener).toBeFocused();
    await expect(opener).toHaveAttribute("aria-expanded", "false");
  },
);
