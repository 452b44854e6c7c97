/**
 * What a serverless deployment relies on, against the real production server: work that finishes
 * after the response (Next's after()), email without a worker process, the cron route's lock, and
 * the public files. Tests tagged @fakes read the local e2e database or use the local model fake.
 */
import { expect, test } from "@playwright/test";
import pg from "pg";
import { signUp } from "./support/chat";
import { E2E_DATABASE_URL } from "./support/e2e-env";

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

test(
  "a password-reset email is sent right after the request, with no email worker running",
  { tag: "@fakes" },
  async ({ request }) => {
    const { email } = await signUp(request);
    const res = await request.post("/api/auth/forgot-password", { data: { email } });
    expect(res.status()).toBe(202);
    // Nothing else delivers email here: the drain after the response must do it.
    await expect
      .poll(
        async () =>
          (await query<{ status: string }>("select status from outbound_emails where to_address = $1", [email]))[0]
            ?.status,
        { timeout: 20_000 },
      )
      .toBe("sent");
  },
);

test(
  "Stop: after the client has gone, the partial reply and the cancellation note are stored",
  { tag: "@fakes" },
  async ({ request }) => {
    const { token } = await signUp(request);
    const baseURL = test.info().project.use.baseURL!;
    const controller = new AbortController();
    const res = await fetch(`${baseURL}/chatkit`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        type: "threads.create",
        params: {
          input: {
            content: [{ type: "input_text", text: "[slow:40][deltas:300] tell me" }],
            attachments: [],
            inference_options: {},
          },
        },
      }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while ((text.match(/"thread\.item\.updated"/g) ?? []).length < 4) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended early: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    const threadId = /"thread\.created","thread":\{"id":"([^"]+)"/.exec(text)?.[1];
    expect(threadId).toBeTruthy();
    controller.abort(); // the client goes away; the server finishes its writes after the response
    await expect
      .poll(
        async () =>
          (
            await query<{ type: string }>(
              "select type from chatkit_items where thread_id = $1 order by created_at, seq",
              [threadId],
            )
          ).map((r) => r.type),
        { timeout: 20_000 },
      )
      .toEqual(["user_message", "assistant_message", "sdk_hidden_context"]);
    const [partial] = await query<{ data: { content: { text: string }[] } }>(
      "select data from chatkit_items where thread_id = $1 and type = 'assistant_message'",
      [threadId],
    );
    expect(partial?.data.content[0]?.text).toMatch(/^w0 w1/);
  },
);

test("the cron route never runs jobs for a caller without the secret", async ({ request }) => {
  const attempts: Record<string, string>[] = [{}, { authorization: "Bearer not-the-secret" }];
  for (const headers of attempts) {
    const res = await request.get("/api/cron/jobs", { headers });
    // 401 where CRON_SECRET is set (deployments), 500 not_configured where it is not: never 200.
    expect([401, 500]).toContain(res.status());
    expect(((await res.json()) as { code: string }).code).toMatch(/^(unauthorized|not_configured)$/);
  }
});

test("the public files: icon, robots.txt and the web manifest", async ({ request }) => {
  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toContain("User-agent: *");
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  const body = (await manifest.json()) as { name: string; icons: { src: string }[] };
  expect(body.name).toBe("Facts Chat");
  for (const icon of body.icons) expect((await request.get(icon.src)).status()).toBe(200);
});
