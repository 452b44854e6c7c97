import { expect, test } from "@playwright/test";

type Doc = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };

test("the API reference renders every documented endpoint with all its answers", async ({ page, request }) => {
  const res = await request.get("/api/openapi.json");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/json");
  const doc = (await res.json()) as Doc;

  const errors: string[] = [];
  // Failed loads are checked by URL below (the browser's own favicon probe is not ours to serve).
  page.on(
    "console",
    (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()),
  );
  page.on(
    "response",
    (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && errors.push(`${r.status()} ${r.url()}`),
  );
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/docs");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Facts Chat API");

  let count = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const card = page.locator(
        `[data-testid="operation"][data-method="${method.toUpperCase()}"][data-path="${path}"]`,
      );
      await expect(card, `${method} ${path}`).toHaveCount(1);
      await expect(card.locator("h3")).toHaveText(path);
      const statuses = await card
        .locator('[data-testid="response"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
      expect(statuses.sort(), `${method} ${path}`).toEqual(Object.keys(op.responses).sort());
      count++;
    }
  }
  expect(count).toBeGreaterThanOrEqual(27);
  await expect(page.locator('[data-testid="operation"]')).toHaveCount(count);
  await expect(page.locator('[data-testid="chatkit-request-type"]')).toHaveCount(16);
  expect(errors).toEqual([]);
});

test("schema links on the reference lead to rendered schemas", async ({ page }) => {
  await page.goto("/docs");
  const hrefs = await page
    .locator('a[href^="#schema-"]')
    .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute("href")))]);
  expect(hrefs.length).toBeGreaterThan(20);
  for (const href of hrefs) await expect(page.locator(`${href}[data-testid="schema"]`), String(href)).toHaveCount(1);
  await page.locator('[data-testid="operation"][data-path="/facts"] a[href="#schema-FactList"]').first().click();
  await expect(page.locator("#schema-FactList")).toBeInViewport();
});

test("the landing page links to the reference, which follows the theme", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/");
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/docs$/);
  await page.screenshot({ path: "e2e/artifacts/docs-top-light.png" });
  await page.locator("#op-chatkit").scrollIntoViewIfNeeded();
  await page.locator("#op-chatkit").screenshot({ path: "e2e/artifacts/docs-chatkit-light.png" });

  await page
    .locator("#schema-ThreadStreamEvent")
    .screenshot({ path: "e2e/artifacts/docs-schema-stream-event-light.png" });

  await page.getByTestId("theme-toggle").click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.locator("#op-saveFact").scrollIntoViewIfNeeded();
  await page.locator("#op-saveFact").screenshot({ path: "e2e/artifacts/docs-save-fact-dark.png" });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/docs#op-signup");
  await page.screenshot({ path: "e2e/artifacts/docs-signup-dark-phone.png" });
});
