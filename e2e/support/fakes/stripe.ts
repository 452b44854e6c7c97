/**
 * For Vitest: the Stripe fake on a free port, its webhooks handed straight to the app's route
 * handler (no Next server needed), and the app's config pointed at it.
 */
import { afterAll, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { start, type FakeStripe } from "@/e2e/fakes/stripe/server";

export const TEST_STRIPE_KEY = "sk_test_vitest";
export const TEST_WEBHOOK_SECRET = "whsec_vitest_secret";
export const TEST_APP_ORIGIN = "http://app.test";

type Handler = (request: Request, context: undefined) => Promise<Response> | Response;

/** Builds the signed webhook request the route receives. */
export function webhookRequest(payload: string, headers: Record<string, string>): Request {
  return new Request(`${TEST_APP_ORIGIN}/api/webhooks/stripe`, { method: "POST", headers, body: payload });
}

/** Registers hooks: starts the fake before the file's tests and sets STRIPE_* env for the app. */
export function useStripeFake(
  webhookHandler: Handler,
  options: { autoDeliver?: boolean } = {},
): { get: () => FakeStripe } {
  let fake: FakeStripe | undefined;
  beforeAll(async () => {
    fake = await start(0, {
      stripeWebhookSecret: TEST_WEBHOOK_SECRET,
      autoDeliver: options.autoDeliver,
      transport: async (payload, headers) => {
        const res = await webhookHandler(webhookRequest(payload, headers), undefined);
        return { status: res.status, body: await res.text() };
      },
    });
    Object.assign(process.env, {
      STRIPE_SECRET_KEY: TEST_STRIPE_KEY,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      STRIPE_API_BASE_URL: fake.url,
      STRIPE_CHECKOUT_SUCCESS_URL: `${TEST_APP_ORIGIN}/dashboard/success?session_id={CHECKOUT_SESSION_ID}`,
      STRIPE_CHECKOUT_CANCEL_URL: `${TEST_APP_ORIGIN}/dashboard/cancelled`,
    });
    resetEnvCache();
  });
  afterAll(async () => {
    await fake?.close();
  });
  return {
    get: () => {
      if (!fake) throw new Error("Stripe fake not started yet");
      return fake;
    },
  };
}
