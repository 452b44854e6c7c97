/** Helpers for the chat page specs: accounts, sign-in, and a stand-in for ChatKit's CDN script. */
import { randomBytes, randomUUID } from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import pg from "pg";
import { E2E_DATABASE_URL } from "./e2e-env";

export const CHATKIT_SCRIPT = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js";
export const PASSWORD = "correct horse battery staple";

export async function signUp(request: APIRequestContext): Promise<{ email: string; token: string; userId: string }> {
  const email = `chat-${randomUUID().slice(0, 8)}@example.com`;
  const response = await request.post("/api/auth/signup", { data: { email, password: PASSWORD } });
  expect(response.status()).toBe(201);
  const body = (await response.json()) as { access_token: string; user: { id: string } };
  return { email, token: body.access_token, userId: body.user.id };
}

/** next-auth's credentials flow over HTTP; the session cookie lands in the page's context. */
export async function signInOverHttp(page: Page, email: string): Promise<void> {
  const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password: PASSWORD, callbackUrl: "/chat", json: "true" },
    maxRedirects: 0,
  });
  expect(response.status()).toBeLessThan(400);
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.includes("session-token"))).toBe(true);
}

/**
 * The real script cannot be reached from the test machines. `blockChatKit` makes that
 * explicit (the request is aborted as a blocked CDN would be); `fakeChatKit` serves a small
 * stand-in element that records the options it is given and emits ChatKit's events, so the
 * page's wiring (options, client tools, events) can be exercised in a real browser.
 */
export async function blockChatKit(page: Page): Promise<void> {
  await page.unroute(CHATKIT_SCRIPT);
  await page.route(CHATKIT_SCRIPT, (route) => route.abort("blockedbyclient"));
}

const FAKE_ELEMENT = `
class FakeChatKit extends HTMLElement {
  setOptions(options) {
    window.__chatkit = { options, element: this, calls: (window.__chatkit?.calls ?? 0) + 1 };
    this.setAttribute("data-fake-upgraded", "");
    this.innerHTML = '<div style="display:flex;height:100%;align-items:center;justify-content:center;opacity:.6;font:14px system-ui">ChatKit test double</div>';
    queueMicrotask(() => this.dispatchEvent(new CustomEvent("chatkit.ready")));
  }
  emit(name, detail) { this.dispatchEvent(new CustomEvent(name, { detail })); }
  async focusComposer() {} async setThreadId() {} async sendUserMessage() {} async setComposerValue() {}
  async fetchUpdates() {} async sendCustomAction() {} async showHistory() {} async hideHistory() {}
}
customElements.define("openai-chatkit", FakeChatKit);
`;

export async function fakeChatKit(page: Page): Promise<void> {
  await page.unroute(CHATKIT_SCRIPT);
  await page.route(CHATKIT_SCRIPT, (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: FAKE_ELEMENT }),
  );
}

/** Dispatches a ChatKit DOM event on the element, as the real component would. */
export async function emitChatKitEvent(page: Page, name: string, detail?: unknown): Promise<void> {
  await page.evaluate(
    ([eventName, eventDetail]) => {
      const el = document.querySelector("openai-chatkit") as HTMLElement & { emit(n: string, d: unknown): void };
      el.emit(eventName as string, eventDetail);
    },
    [name, detail] as const,
  );
}

/** The options JSON the page renders next to the element. */
export async function renderedOptions(page: Page): Promise<Record<string, unknown>> {
  const text = await page.locator("script#chatkit-options").textContent();
  return JSON.parse(text ?? "null") as Record<string, unknown>;
}

/** Saved facts written straight to the e2e database, for views that only need some facts to show. */
export async function seedSavedFacts(userId: string, texts: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    for (const text of texts) {
      await client.query("insert into facts (id, user_id, text, status) values ($1, $2, $3, 'saved')", [
        `fact_${randomBytes(16).toString("hex")}`,
        userId,
        text,
      ]);
    }
  } finally {
    await client.end();
  }
}

type Json = Record<string, unknown>;

/** The Save button's action on the fact card the assistant streamed, with the card's ids. */
export function saveActionFromStream(events: Json[]): { threadId: string; itemId: string; action: Json } {
  let threadId = "";
  let found: { itemId: string; action: Json } | undefined;
  const findSave = (node: unknown): Json | undefined => {
    if (!node || typeof node !== "object") return undefined;
    const obj = node as Json;
    if (obj.label === "Save" && obj.onClickAction && typeof obj.onClickAction === "object")
      return obj.onClickAction as Json;
    for (const value of Object.values(obj)) {
      const hit = findSave(value);
      if (hit) return hit;
    }
    return undefined;
  };
  for (const event of events) {
    if (event.type === "thread.created") threadId = String((event.thread as Json).id);
    const item = event.item as Json | undefined;
    if (event.type === "thread.item.done" && item?.type === "widget") {
      const action = findSave(item.widget);
      if (action) found = { itemId: String(item.id), action };
    }
  }
  if (!threadId || !found) throw new Error(`no fact card in the stream: ${events.map((e) => e.type).join(",")}`);
  return { threadId, ...found };
}
