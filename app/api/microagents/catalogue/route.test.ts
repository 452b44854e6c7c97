/** GET /api/microagents/catalogue against the Stripe fake (real SDK, real HTTP), including Stripe down. */
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { POST as webhook } from "@/app/api/webhooks/stripe/route";
import { withEnv } from "@/e2e/support/env";
import { SEED_PRICES, start } from "@/e2e/fakes/stripe/server";
import { useStripeFake } from "@/e2e/support/fakes/stripe";
import { useTestDatabase } from "@/e2e/support/test-database";
import { catalogueResponseSchema, type CatalogueResponse } from "@/lib/billing/catalogue";
import { GET } from "./route";

// Read Stripe on every request, so each test sees what the fake holds now.
useTestDatabase({ STRIPE_CATALOGUE_TTL_SECONDS: "0" });
const stripeFake = useStripeFake(webhook);

async function catalogue(query = "") {
  const res = await GET(new Request(`http://app.test/api/microagents/catalogue${query}`), undefined);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}
const listings = () =>
  stripeFake
    .get()
    .requests()
    .filter((r) => r.method === "GET" && r.path === "/v1/prices");

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("GET /api/microagents/catalogue", () => {
  it("answers the micro-agents on offer: name, description, workflow and each plan's amount and interval", async () => {
    const res = await catalogue();
    expect(res.status).toBe(200);
    const body = catalogueResponseSchema.parse(res.body);
    expect(body.stale).toBe(false);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    expect(
      body.data.map((e) => [e.name, e.workflow_id, e.prices.map((p) => [p.id, p.amount, p.currency, p.interval])]),
    ).toEqual([
      [
        "Inbox triage",
        "wf_inbox_triage",
        [
          [SEED_PRICES.monthly, 900, "usd", "month"],
          [SEED_PRICES.yearly, 9000, "usd", "year"],
        ],
      ],
      [
        "Meeting notes",
        "wf_meeting_notes",
        [
          [SEED_PRICES.otherMonthly, 1500, "usd", "month"],
          ["price_meeting_notes_yearly", 15000, "usd", "year"],
        ],
      ],
      ["Research digest", "wf_research_digest", [["price_research_digest_monthly", 2900, "usd", "month"]]],
    ]);
    expect(body.data[0]).toMatchObject({
      product_id: "prod_inbox_triage",
      description: expect.stringContaining("drafts replies"),
    });
    // One listing of recurring prices with their products expanded.
    expect(listings().at(-1)!.params).toMatchObject({ type: "recurring", limit: "100", expand: ["data.product"] });
  });

  it("leaves out one-time and archived prices, archived products and products that unlock no workflow", async () => {
    const fake = stripeFake.get();
    fake.addProduct({
      id: "prod_hidden",
      name: "Archived agent",
      active: false,
      metadata: { workflow_id: "wf_hidden" },
    });
    fake.addPrice({ id: "price_hidden_monthly", product: "prod_hidden" });
    fake.addProduct({ id: "prod_bad_workflow", name: "Bad metadata", metadata: { workflow_id: "wf with spaces" } });
    fake.addPrice({ id: "price_bad_workflow", product: "prod_bad_workflow" });
    const body = catalogueResponseSchema.parse((await catalogue()).body);
    const ids = body.data.flatMap((e) => e.prices.map((p) => p.id));
    for (const id of [
      SEED_PRICES.oneTime,
      SEED_PRICES.retired,
      SEED_PRICES.unlisted,
      "price_hidden_monthly",
      "price_bad_workflow",
    ]) {
      expect(ids).not.toContain(id);
    }
    expect(body.data.map((e) => e.name)).not.toContain("Archived agent");
    expect(body.data.map((e) => e.name)).not.toContain("Bad metadata");
  });

  it("pages through Stripe's listing (more than 100 prices)", async () => {
    const fake = stripeFake.get();
    fake.addProduct({ id: "prod_many", name: "Many plans", metadata: { workflow_id: "wf_many" } });
    for (let i = 0; i < 120; i++) fake.addPrice({ id: `price_many_${i}`, product: "prod_many", unit_amount: 100 + i });
    const before = listings().length;
    const body = catalogueResponseSchema.parse((await catalogue()).body);
    expect(body.data.find((e) => e.workflow_id === "wf_many")?.prices).toHaveLength(120);
    expect(listings().length - before).toBeGreaterThanOrEqual(2);
    expect(listings().at(-1)!.params.starting_after).toMatch(/^price_/);
  });

  it("shares one Stripe read between concurrent requests", async () => {
    const firstPages = () => listings().filter((r) => r.params.starting_after === undefined).length;
    const before = firstPages();
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => catalogue()));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(firstPages() - before).toBe(1);
  });

  it("ignores query parameters, hostile or not", async () => {
    const res = await catalogue("?limit=-1&expand[]=data.product.owner&starting_after=%27%3B--");
    expect(res.status).toBe(200);
    const sent = listings().map((r) => r.params);
    expect(sent.every((p) => p.limit === "100" && p.starting_after !== "';--")).toBe(true);
  });

  it("answers a clear 503 — never a 500 — when Stripe cannot be reached and nothing is known yet", async () => {
    const restore = withEnv({ STRIPE_API_BASE_URL: `http://127.0.0.1:${await closedPort()}` });
    try {
      const res = await catalogue();
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        code: "catalogue_unavailable",
        detail: "The micro-agent catalogue is unavailable right now; please try again shortly.",
      });
    } finally {
      restore();
    }
  });

  it("serves the last catalogue it read, marked stale, when Stripe fails or stops answering", async () => {
    // Stripe answers an error:
    const fresh = catalogueResponseSchema.parse((await catalogue()).body);
    stripeFake.get().failNext("GET", /^\/v1\/prices$/, 500);
    const failed = await catalogue();
    expect(failed.status).toBe(200);
    expect(failed.headers.get("cache-control")).toBe("no-store");
    expect(failed.body).toEqual({ ...fresh, stale: true } satisfies CatalogueResponse);

    // Stripe goes away altogether (its own instance here, so the others keep running):
    const own = await start(0, {});
    const restore = withEnv({ STRIPE_API_BASE_URL: own.url });
    try {
      const before = catalogueResponseSchema.parse((await catalogue()).body);
      expect(before.stale).toBe(false);
      await own.close();
      const after = await catalogue();
      expect(after.status).toBe(200);
      expect(after.body).toEqual({ ...before, stale: true });
    } finally {
      restore();
    }
  });

  it("answers 503 saying so when Stripe is not configured", async () => {
    const restore = withEnv({ STRIPE_SECRET_KEY: undefined });
    try {
      const res = await catalogue();
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        code: "catalogue_unavailable",
        detail: "Subscriptions are not configured on this server.",
      });
    } finally {
      restore();
    }
  });
});
