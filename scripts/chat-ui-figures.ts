/**
 * Figures for the built-in chat (not a test): builds (unless --no-build), starts the production
 * server with CHAT_UI=builtin on the local PostgreSQL and the OpenAI fake, and measures in
 * Chromium:
 *
 *   first-load JS      every script /chat downloads until the chat is usable, gzip-compressed
 *                      (what a browser receives), plus Next's own per-route figure when the
 *                      build wrote one;
 *   longest task       the longest main-thread task (PerformanceObserver "longtask", ≥ 50 ms
 *                      reported by the browser) while a 2,000-delta reply streams;
 *   last delta → text  from the moment the last delta's bytes reached the page to the first
 *                      frame showing its text.
 *
 *   npx tsx scripts/chat-ui-figures.ts [--no-build] [--runs N]
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";
import { start as startOpenAIFake } from "../e2e/fakes/openai/server";
import { recreateDatabase } from "../e2e/support/admin-db";
import { TEST_DATABASE_URL, withDatabase } from "../e2e/support/test-database-url";

const PORT = Number(process.env.FIGURES_PORT ?? 3390);
const BASE = `http://127.0.0.1:${PORT}`;
const DATABASE = "chat_ui_figures";
const PASSWORD = "correct horse battery staple";
const DELTAS = 2000;
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf("--runs") + 1] ?? 3) || 3;
const chromiumPath =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

async function startServer(openaiBaseURL: string): Promise<ChildProcess> {
  await recreateDatabase(DATABASE);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: withDatabase(TEST_DATABASE_URL, DATABASE),
    JWT_SECRET: "figures-secret-0123456789abcdef0123456789",
    APP_BASE_URL: BASE,
    NEXTAUTH_URL: BASE,
    OPENAI_API_KEY: "sk-figures",
    OPENAI_BASE_URL: openaiBaseURL,
    RATE_LIMIT_DISABLED: "1",
    BCRYPT_COST: "4",
    CHAT_UI: "builtin",
  };
  execSync("node node_modules/tsx/dist/cli.mjs --conditions=react-server db/migrate-cli.ts", { env, stdio: "inherit" });
  const child = spawn("node", ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return child;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

async function signIn(page: Page): Promise<void> {
  const email = `figures-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const signup = await page.request.post(`${BASE}/api/auth/signup`, { data: { email, password: PASSWORD } });
  if (signup.status() !== 201) throw new Error(`signup failed: ${signup.status()}`);
  const csrf = (await (await page.request.get(`${BASE}/api/auth/csrf`)).json()) as { csrfToken: string };
  await page.request.post(`${BASE}/api/auth/callback/credentials`, {
    form: { csrfToken: csrf.csrfToken, email, password: PASSWORD, callbackUrl: "/chat", json: "true" },
    maxRedirects: 0,
  });
}

/** Next's own first-load figure for /chat (.next/diagnostics/route-bundle-stats.json), gzip-compressed. */
function nextFirstLoad(): { raw: number; gzip: number; chunks: number } | null {
  const file = path.join(".next", "diagnostics", "route-bundle-stats.json");
  if (!existsSync(file)) return null;
  const rows = JSON.parse(readFileSync(file, "utf8")) as { route: string; firstLoadChunkPaths?: string[] }[];
  const row = rows.find((r) => r.route === "/chat");
  if (!row?.firstLoadChunkPaths) return null;
  let raw = 0;
  let gzip = 0;
  for (const chunk of row.firstLoadChunkPaths) {
    const body = readFileSync(chunk);
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { raw, gzip, chunks: row.firstLoadChunkPaths.length };
}

// Recorded in the page: arrival of the last delta's bytes (through a wrapped fetch) and long tasks.
const PROBE = `(() => {
  const w = window;
  w.__figures = { longTasks: [], lastDeltaAt: 0, firstByteAt: 0 };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__figures.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  const realFetch = w.fetch.bind(w);
  w.fetch = async (input, init) => {
    const res = await realFetch(input, init);
    const url = typeof input === "string" ? input : input.url;
    if (!url.endsWith("/chatkit") || !res.body || !(res.headers.get("content-type") || "").includes("event-stream")) return res;
    const decoder = new TextDecoder();
    let tail = "";
    const body = res.body.pipeThrough(new TransformStream({
      transform(chunk, controller) {
        const now = performance.now();
        if (!w.__figures.firstByteAt) w.__figures.firstByteAt = now;
        tail = (tail + decoder.decode(chunk, { stream: true })).slice(-64);
        if (tail.includes("w${DELTAS - 1}")) w.__figures.lastDeltaAt = w.__figures.lastDeltaAt || now;
        controller.enqueue(chunk);
      },
    }));
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
})();`;

async function main() {
  if (!argv.includes("--no-build"))
    execSync("npx next build", { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const fake = await startOpenAIFake(0, {});
  const server = await startServer(fake.baseURL);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    // ---- first-load JS of /chat with the built-in chat
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page);
    const scripts = new Map<string, Promise<Buffer>>();
    page.on("response", (res) => {
      if (res.request().resourceType() === "script" && res.url().startsWith(BASE)) scripts.set(res.url(), res.body());
    });
    await page.goto(`${BASE}/chat`);
    await page.getByRole("textbox", { name: "Message" }).waitFor();
    await page.waitForLoadState("networkidle");
    let raw = 0;
    let gz = 0;
    for (const body of await Promise.all(scripts.values())) {
      raw += body.length;
      gz += gzipSync(body, { level: 9 }).length;
    }
    await context.close();

    // ---- a 2,000-delta reply, streamed through the page
    const longest: number[] = [];
    const delays: number[] = [];
    for (let run = 0; run < runs; run++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await ctx.addInitScript(PROBE);
      const p = await ctx.newPage();
      await signIn(p);
      await p.goto(`${BASE}/chat`);
      const box = p.getByRole("textbox", { name: "Message" });
      await box.waitFor();
      await p.locator('[data-testid="chat-history"][data-status="ready"]').waitFor();
      // The text is on screen when a frame has been produced after it entered the DOM.
      await p.evaluate(
        (last) => {
          const w = window as unknown as { __figures: Record<string, unknown> };
          const observer = new MutationObserver(() => {
            if (w.__figures.shownAt) return;
            const replies = document.querySelectorAll('[data-testid="assistant-message"]');
            const reply = replies[replies.length - 1];
            if (reply?.textContent?.includes(last)) {
              observer.disconnect();
              requestAnimationFrame(() => (w.__figures.shownAt = performance.now()));
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        },
        `w${DELTAS - 1}`,
      );
      await box.fill(`[deltas:${DELTAS}] figures run ${run}`);
      await box.press("Enter");
      await p.waitForFunction(
        () => (window as unknown as { __figures: { shownAt?: number } }).__figures.shownAt,
        null,
        {
          timeout: 60_000,
        },
      );
      const f = (await p.evaluate(() => (window as unknown as { __figures: unknown }).__figures)) as {
        longTasks: { start: number; duration: number }[];
        lastDeltaAt: number;
        firstByteAt: number;
        shownAt: number;
      };
      const during = f.longTasks.filter((t) => t.start + t.duration >= f.firstByteAt && t.start <= f.shownAt);
      longest.push(during.reduce((m, t) => Math.max(m, t.duration), 0));
      delays.push(f.shownAt - f.lastDeltaAt);
      await ctx.close();
    }

    const fmt = (n: number) => n.toFixed(1);
    const worst = (xs: number[]) => Math.max(...xs);
    console.log("\nBuilt-in chat figures (production build, Chromium, CHAT_UI=builtin)\n");
    console.log(
      `first-load JS of /chat     ${fmt(gz / 1024)} KB gzip (${fmt(raw / 1024)} KB raw, ${scripts.size} scripts)   goal ≤ 120 KB`,
    );
    const diag = nextFirstLoad();
    if (diag) {
      console.log(
        `  Next's route-bundle-stats  ${fmt(diag.gzip / 1024)} KB gzip (${fmt(diag.raw / 1024)} KB raw, ${diag.chunks} chunks; chunks loaded later on demand not counted)`,
      );
    }
    console.log(
      `longest task, ${DELTAS}-delta reply   worst ${fmt(worst(longest))} ms over ${runs} runs [${longest.map(fmt).join(", ")}] (0 = no task ≥ 50 ms)   goal < 50 ms`,
    );
    console.log(
      `last delta → text on screen   worst ${fmt(worst(delays))} ms over ${runs} runs [${delays.map(fmt).join(", ")}]   goal < 100 ms`,
    );
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    await fake.close();
  }
}

await main();
