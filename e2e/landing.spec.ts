import { expect, test } from "@playwright/test";

test("landing page renders and links to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("remembers");
  await expect(page.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
});

test("health endpoint answers 200 with its database reachable, and a request id", async ({ request }) => {
  // Also against a preview: its configuration may differ (SMTP, a model), so only what any
  // serving deployment answers.
  const response = await request.get("/health");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { status: string; database: string };
  expect(["healthy", "degraded"]).toContain(body.status);
  expect(body.database).toBe("ok");
  expect(response.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});

test("health endpoint names the local e2e server's one configuration gap and its memory @fakes", async ({
  request,
}) => {
  const response = await request.get("/health");
  // The e2e server has no SMTP_URL: emails are not delivered, which /health names (degraded, not down).
  expect(await response.json()).toEqual({
    status: "degraded",
    database: "ok",
    configuration: { smtp_url: expect.stringContaining("SMTP_URL") },
    memory: { heap_used_mb: expect.any(Number), heap_limit_mb: expect.any(Number), rss_mb: expect.any(Number) },
  });
});
