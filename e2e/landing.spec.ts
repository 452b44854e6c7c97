import { expect, test } from "@playwright/test";

test("landing page renders and links to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("remembers");
  await expect(page.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
});

test("health endpoint answers healthy on the real database", async ({ request }) => {
  const response = await request.get("/health");
  expect(response.status()).toBe(200);
  // The e2e server has no SMTP_URL: emails are not delivered, which /health names (degraded, not down).
  expect(await response.json()).toEqual({
    status: "degraded",
    database: "ok",
    configuration: { smtp_url: expect.stringContaining("SMTP_URL") },
    memory: { heap_used_mb: expect.any(Number), heap_limit_mb: expect.any(Number), rss_mb: expect.any(Number) },
  });
  expect(response.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});
