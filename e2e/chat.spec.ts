import { expect, test, type Page } from "@playwright/test";
import {
  blockChatKit,
  emitChatKitEvent,
  fakeChatKit,
  PASSWORD,
  renderedOptions,
  saveActionFromStream,
  seedSavedFacts,
  signInOverHttp,
  signUp,
} from "./support/chat";
import { parseSse } from "./support/sse";

const ARTIFACTS = "e2e/artifacts";

async function openChat(page: Page, chatkit: "blocked" | "fake" = "blocked") {
  const { email, token } = await signUp(page.request);
  await signInOverHttp(page, email);
  if (chatkit === "fake") await fakeChatKit(page);
  else await blockChatKit(page);
  await page.goto("/chat");
  return { email, token };
}

function factsPanel(page: Page) {
  return page.getByTestId("facts-panel");
}

test.describe("chat page", () => {
  test("anonymous visitors are sent to sign-in, come back to the chat after signing in, and sign out from the header", async ({
    page,
  }) => {
    await blockChatKit(page);
    const { email } = await signUp(page.request);
    await page.goto("/chat");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fchat$/);

    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/chat$/);
    await expect(page.getByRole("banner")).toContainText(email);

    // Signing out from the header ends the session: the chat is closed again.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/chat");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fchat$/);
  });

  test("signed in: the ChatKit element is rendered with the page's options, beside the facts panel", async ({
    page,
  }) => {
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (msg) => {
      // The blocked CDN script is expected to fail; anything else (hydration, CSP) is a bug.
      if (msg.type() === "error" && !msg.text().includes("ERR_BLOCKED_BY_CLIENT")) problems.push(msg.text());
    });
    const { email } = await signUp(page.request);
    await signInOverHttp(page, email);
    await blockChatKit(page);
    const response = await page.goto("/chat");
    expect(response?.status()).toBe(200);

    const element = page.locator("openai-chatkit");
    await expect(element).toHaveCount(1);
    await expect(element).toHaveAttribute("data-api-mode", "self-hosted");
    await expect(element).toHaveAttribute("data-api-url", "/chatkit");
    await expect(element).toHaveAttribute("data-domain-key", /^domain_pk_/);
    await expect(element).toHaveAttribute(
      "data-script-src",
      "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js",
    );

    const options = await renderedOptions(page);
    expect(options.api).toEqual({
      url: "/chatkit",
      domainKey: expect.stringMatching(/^domain_pk_/),
      fetch: "function",
    });
    expect(options.history).toEqual({ enabled: true, showDelete: true, showRename: true });
    expect(options.threadItemActions).toEqual({ feedback: true, retry: true });
    expect(options.onClientTool).toBe("function");
    expect(options.startScreen).toMatchObject({ greeting: expect.stringMatching(/remember/i) });
    expect((options.startScreen as { prompts: unknown[] }).prompts.length).toBeGreaterThanOrEqual(3);
    expect(options.composer).toEqual({ placeholder: expect.any(String) });
    expect(options.theme).toMatchObject({ colorScheme: expect.stringMatching(/^(light|dark)$/) });

    await expect(factsPanel(page).getByRole("heading", { name: "Saved facts" })).toBeVisible();
    await expect(page.getByTestId("facts-empty")).toBeVisible();

    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Chat" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Dashboard" })).toHaveAttribute("href", "/dashboard");
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("frame-src https://cdn.platform.openai.com");
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(response?.headers()["x-frame-options"]).toBe("DENY");
    expect(response?.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    await expect(page.getByTestId("chat-failure")).toBeVisible();
    expect(problems).toEqual([]);
  });

  test(
    "facts created through /chatkit appear in the panel; discarding one removes it, and undo brings it back",
    { tag: "@fakes" },
    async ({ page }) => {
      await openChat(page, "fake");
      await expect(page.getByTestId("chat-panel")).toHaveAttribute("data-phase", "ready");
      await expect(page.getByTestId("facts-empty")).toBeVisible();

      // The assistant hears a fact and proposes it (a pending fact with a Save/Discard card).
      const created = await page.request.post("/chatkit", {
        data: {
          type: "threads.create",
          params: {
            input: {
              content: [{ type: "input_text", text: "My name is Kaz" }],
              attachments: [],
              inference_options: {},
            },
          },
        },
      });
      expect(created.status()).toBe(200);
      const body = await created.text();
      const factIds = [...new Set(body.match(/fact_[0-9a-f]{8,64}/g) ?? [])];
      expect(
        factIds,
        `no fact id in the stream: ${parseSse(body)
          .map((e) => e.type)
          .join(",")}`,
      ).toHaveLength(1);
      const factId = factIds[0] as string;

      // Pending facts are not listed; pressing Save on the card (its widget action) saves it.
      expect((await (await page.request.get("/facts")).json()).facts).toEqual([]);
      const save = saveActionFromStream(parseSse(body));
      const saved = await page.request.post("/chatkit", {
        data: {
          type: "threads.custom_action",
          params: { thread_id: save.threadId, item_id: save.itemId, action: save.action },
        },
      });
      expect(saved.status()).toBe(200);
      expect(parseSse(await saved.text()).some((e) => e.type === "error")).toBe(false);
      await expect
        .poll(async () => (await (await page.request.get("/facts")).json()).facts.map((f: { id: string }) => f.id))
        .toEqual([factId]);

      // The chat tells the page a response ended: the panel refreshes on its own.
      await emitChatKitEvent(page, "chatkit.response.end");
      const item = factsPanel(page).locator(`[data-fact-id="${factId}"]`);
      await expect(item).toContainText("Kaz");

      await item.getByRole("button", { name: /remove fact/i }).click();
      await expect(item).toHaveCount(0);
      await expect(page.getByTestId("facts-empty")).toBeVisible();
      await page.screenshot({ path: `${ARTIFACTS}/chat-undo-offer.png` });
      await expect.poll(async () => (await (await page.request.get("/facts")).json()).facts).toEqual([]);

      await page.getByTestId("undo-bar").getByRole("button", { name: "Undo" }).click();
      await expect(item).toContainText("Kaz");
      await expect
        .poll(async () => (await (await page.request.get("/facts")).json()).facts.map((f: { id: string }) => f.id))
        .toEqual([factId]);

      // Removed for good: gone after a reload too.
      await item.getByRole("button", { name: /remove fact/i }).click();
      await expect(item).toHaveCount(0);
      await page.reload();
      await expect(page.getByTestId("facts-empty")).toBeVisible();
    },
  );

  test("the theme toggle switches light and dark, and the choice survives a reload", async ({ page }) => {
    await openChat(page);
    const html = page.locator("html");
    const before = (await html.getAttribute("data-theme")) as string;
    expect(["light", "dark"]).toContain(before);
    const after = before === "dark" ? "light" : "dark";

    await page.getByTestId("theme-toggle").click();
    await expect(html).toHaveAttribute("data-theme", after);
    await expect
      .poll(async () => ((await renderedOptions(page)).theme as { colorScheme: string }).colorScheme)
      .toBe(after);
    expect(await page.evaluate(() => localStorage.getItem("theme"))).toBe(after);

    await page.reload({ waitUntil: "domcontentloaded" });
    // Set by the inline script before first paint, not after hydration.
    await expect(html).toHaveAttribute("data-theme", after);
    await expect
      .poll(async () => ((await renderedOptions(page)).theme as { colorScheme: string }).colorScheme)
      .toBe(after);
  });

  test("the assistant's client tools: switch_theme changes the page theme, record_fact shows a fact once", async ({
    page,
  }) => {
    await openChat(page, "fake");
    await expect(page.getByTestId("chat-panel")).toHaveAttribute("data-phase", "ready");
    await expect(page.locator("openai-chatkit")).toHaveAttribute("data-fake-upgraded", "");

    type ToolResult = Record<string, unknown>;
    const callTool = (name: string, params: Record<string, unknown>) =>
      page.evaluate(
        async ([toolName, toolParams]) => {
          const w = window as unknown as {
            __chatkit: { options: { onClientTool(c: unknown): Promise<ToolResult> | ToolResult } };
          };
          return await w.__chatkit.options.onClientTool({ name: toolName, params: toolParams });
        },
        [name, params] as const,
      );

    expect(await callTool("switch_theme", { theme: "dark" })).toEqual({ success: true, theme: "dark" });
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    // ChatKit itself is handed the dark colours.
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (window as unknown as { __chatkit: { options: { theme: { colorScheme: string } } } }).__chatkit.options
              .theme.colorScheme,
        ),
      )
      .toBe("dark");
    expect(await callTool("switch_theme", { theme: "light" })).toEqual({ success: true, theme: "light" });
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
    expect(await callTool("switch_theme", { theme: "sepia" })).toMatchObject({ success: false });
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");

    const fact = { fact_id: "fact_00000000aaaaaaaa", fact_text: "Enjoys hiking" };
    expect(await callTool("record_fact", fact)).toEqual({ success: true });
    expect(await callTool("record_fact", fact)).toEqual({ success: true });
    await expect(factsPanel(page).locator(`[data-fact-id="${fact.fact_id}"]`)).toHaveCount(1);
    await expect(factsPanel(page)).toContainText("Enjoys hiking");
  });

  test("ChatKit's script blocked: the built-in chat stands in under a note naming the cause, and Try again loads ChatKit's component", async ({
    page,
  }) => {
    await openChat(page, "blocked");
    const failure = page.getByTestId("chat-failure");
    await expect(failure).toBeVisible();
    await expect(failure).toContainText("couldn't load");
    await expect(failure).toContainText("cdn.platform.openai.com");
    // The facts beside it keep working.
    await expect(page.getByTestId("facts-empty")).toBeVisible();

    await fakeChatKit(page);
    await failure.getByRole("button", { name: "Try again" }).click();
    await expect(failure).toHaveCount(0);
    await expect(page.getByTestId("chat-panel")).toHaveAttribute("data-phase", "ready");
    await expect(page.locator("openai-chatkit")).toHaveAttribute("data-fake-upgraded", "");
    await expect(page.locator("openai-chatkit")).toBeVisible();
  });

  test("ChatKit's script never arriving: after the timeout, a panel says it is taking too long", async ({ page }) => {
    test.setTimeout(45_000);
    const { email } = await signUp(page.request);
    await signInOverHttp(page, email);
    await page.route("https://cdn.platform.openai.com/deployments/chatkit/chatkit.js", () => {
      // Never answered: a stalled connection.
    });
    await page.goto("/chat");
    await expect(page.getByTestId("chat-panel")).toHaveAttribute("data-phase", "loading");
    await expect(page.getByText("Loading the chat…")).toBeVisible();
    const failure = page.getByTestId("chat-failure");
    await expect(failure).toHaveAttribute("data-reason", "script-timeout", { timeout: 20_000 });
    await expect(failure).toContainText("taking too long");
    await expect(failure.getByRole("button", { name: "Try again" })).toBeVisible();
  });

  test("an error from the chat (e.g. the assistant is not configured) is shown while the chat stays open", async ({
    page,
  }) => {
    await openChat(page, "fake");
    await expect(page.getByTestId("chat-panel")).toHaveAttribute("data-phase", "ready");
    await page.evaluate(() => {
      const el = document.querySelector("openai-chatkit") as HTMLElement & { emit(n: string, d: unknown): void };
      el.emit("chatkit.error", { error: new Error("The assistant is not configured.") });
    });
    const banner = page.getByTestId("chat-error");
    await expect(banner).toContainText("The assistant is not configured.");
    await expect(page.locator("openai-chatkit")).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/chat-error-banner.png` });
    await banner.getByRole("button", { name: "Dismiss" }).click();
    await expect(banner).toHaveCount(0);
  });

  test("an expired session sends the person back to sign-in", async ({ page }) => {
    await openChat(page);
    await expect(page.getByTestId("facts-empty")).toBeVisible();
    // The built-in chat standing in has finished its own first requests.
    await expect(page.getByTestId("chat-history")).toHaveAttribute("data-status", "ready");
    await page.context().clearCookies();
    await factsPanel(page).getByRole("button", { name: "Refresh" }).click();
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fchat$/);
  });

  test("the server-rendered chat panel is hydrated in place when its code arrives after the facts list and the stored theme", async ({
    page,
  }) => {
    // A slow network: the panel's chunk lands after the facts have loaded and the dark theme
    // applied. Updates reaching the panel before it hydrates used to make React discard its HTML
    // and mount it again (the panel flashed "Loading the chat…"; a test holding it saw it vanish).
    await page.addInitScript(() => localStorage.setItem("theme", "dark"));
    const { email } = await signUp(page.request);
    await signInOverHttp(page, email);
    await blockChatKit(page);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let heldChunks = 0;
    await page.route("**/_next/static/chunks/**", async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      if (body.includes("Starting the chat")) {
        heldChunks++;
        await held;
      }
      await route.fulfill({ response, body });
    });
    await page.goto("/chat", { waitUntil: "domcontentloaded" });
    const panel = await page.getByTestId("chat-panel").elementHandle();
    await expect(factsPanel(page)).toHaveAttribute("data-status", "ready");
    await expect(page.getByRole("button", { name: "Switch to light theme" })).toBeVisible();
    expect(heldChunks).toBe(1);
    release();
    // ChatKit's script is blocked, so the built-in chat stands in, inside the same panel.
    await expect(page.getByTestId("chat-panel")).toHaveAttribute("data-ui", "builtin");
    expect(await panel!.evaluate((el) => el.isConnected)).toBe(true);
    await expect(page.locator("openai-chatkit")).toHaveAttribute("data-theme", "dark");
  });

  test("layout: side by side on wide screens, stacked on phones", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openChat(page);
    let chat = await page.getByTestId("chat-panel").boundingBox();
    let facts = await factsPanel(page).boundingBox();
    expect(chat && facts).toBeTruthy();
    expect(facts!.x).toBeGreaterThan(chat!.x + chat!.width - 1);
    expect(Math.abs(facts!.y - chat!.y)).toBeLessThan(2);
    expect(chat!.width).toBeGreaterThan(facts!.width);

    await page.setViewportSize({ width: 390, height: 844 });
    chat = await page.getByTestId("chat-panel").boundingBox();
    facts = await factsPanel(page).boundingBox();
    expect(facts!.y).toBeGreaterThanOrEqual(chat!.y + chat!.height);
    expect(chat!.width).toBeGreaterThan(340);
    expect(Math.abs(facts!.width - chat!.width)).toBeLessThan(2);
    expect(chat!.height).toBeGreaterThan(400);
    // The header stays on one line: brand and sign-out do not wrap.
    expect((await page.getByRole("link", { name: "Facts Chat" }).boundingBox())!.height).toBeLessThan(30);
    expect((await page.getByRole("button", { name: "Sign out" }).boundingBox())!.height).toBeLessThan(40);
    // Nothing sticks out sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test("screenshots: light and dark, wide and phone", { tag: "@fakes" }, async ({ page }) => {
    const { email, userId } = await signUp(page.request);
    await signInOverHttp(page, email);
    await seedSavedFacts(userId, [
      "User's name is Kaz",
      "User lives in Oslo",
      "User enjoys long-distance hiking in the mountains every summer",
    ]);
    for (const theme of ["light", "dark"] as const) {
      await page.addInitScript((t) => localStorage.setItem("theme", t), theme);
      for (const [size, viewport] of [
        ["wide", { width: 1280, height: 800 }],
        ["phone", { width: 390, height: 844 }],
      ] as const) {
        await page.setViewportSize(viewport);
        for (const state of ["failure", "loaded"] as const) {
          if (state === "failure") await blockChatKit(page);
          else await fakeChatKit(page);
          await page.goto("/chat");
          await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
          await expect(factsPanel(page)).toContainText("Kaz");
          if (state === "failure") await expect(page.getByTestId("chat-failure")).toBeVisible();
          else await expect(page.getByTestId("chat-panel")).toHaveAttribute("data-phase", "ready");
          await page.screenshot({ path: `${ARTIFACTS}/chat-${state}-${theme}-${size}.png`, fullPage: true });
        }
      }
    }
  });
});
