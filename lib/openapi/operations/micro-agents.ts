/** Micro-agents: Stripe subscriptions to hosted workflows. */
import { PLAN_CHANGE_BODY_LIMIT, SUBSCRIBE_BODY_LIMIT } from "@/lib/http/body-limits";
import { failure, json, pathParam, requestExample, responseExample, type Operation } from "../spec";
import { AGENT_ID, authed, ISO, jsonBody, ok, UUID } from "./shared";

const microAgent = {
  id: AGENT_ID,
  agent_name: "Inbox triage",
  workflow_id: "wf_inbox_triage",
  stripe_price_id: "price_inbox_triage_monthly",
  stripe_subscription_id: null,
  status: "pending" as const,
  current_period_end: null,
  cancel_at_period_end: false,
  created_at: ISO,
  updated_at: ISO,
};

const stripeNotConfigured = failure("Stripe is not configured on this server.", {
  detail: "Stripe secret key is not configured",
  code: "not_configured",
});
const notFound = failure("Unknown, malformed or another user's id.", {
  detail: "Micro agent not found",
  code: "micro_agent_not_found",
});

export const MICRO_AGENT_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/microagents/catalogue",
    tag: "Micro-agents",
    operationId: "catalogue",
    summary: "The micro-agents one can subscribe to",
    description:
      "Read from Stripe: every active product whose `metadata.workflow_id` names the hosted workflow it unlocks, with " +
      "its active recurring prices (amount in the currency's smallest unit, interval), cheapest interval first; " +
      "products by name. Reused for up to a minute (`STRIPE_CATALOGUE_TTL_SECONDS`). When Stripe cannot be reached " +
      "the last catalogue read is answered with `stale: true`. Subscribe with a `workflow_id` and a `price_id` of " +
      "the same entry.",
    auth: "none",
    responses: {
      "200": ok(
        "The catalogue.",
        "Catalogue",
        responseExample("Catalogue", {
          data: [
            {
              product_id: "prod_inbox_triage",
              name: "Inbox triage",
              description: "Reads new email, labels what needs you today and drafts replies for you to approve.",
              workflow_id: "wf_inbox_triage",
              prices: [
                {
                  id: "price_inbox_triage_monthly",
                  amount: 900,
                  currency: "usd",
                  interval: "month",
                  interval_count: 1,
                  nickname: null,
                },
                {
                  id: "price_inbox_triage_yearly",
                  amount: 9000,
                  currency: "usd",
                  interval: "year",
                  interval_count: 1,
                  nickname: null,
                },
              ],
            },
          ],
          fetched_at: ISO,
          stale: false,
        }),
      ),
      "503": failure(
        "Stripe could not be reached and no catalogue has been read yet (or Stripe is not configured); retry shortly.",
        {
          detail: "The micro-agent catalogue is unavailable right now; please try again shortly.",
          code: "catalogue_unavailable",
        },
      ),
    },
  },
  {
    method: "post",
    path: "/api/microagents/subscribe",
    tag: "Micro-agents",
    operationId: "subscribe",
    summary: "Subscribe to a micro-agent",
    description:
      "Checks at Stripe that the price is an active recurring plan of a catalogue micro-agent and that `workflow_id` " +
      "is the workflow that micro-agent unlocks (otherwise 422 saying so), creates a Checkout session in " +
      "subscription mode with the micro-agent id, user id and workflow id in its metadata, and records a `pending` " +
      "micro-agent named `agent_name` (default: the product's name). The webhook makes it `active` once paid. A " +
      "Stripe customer deleted at Stripe is replaced by a new one.",
    auth: "user",
    requestBody: {
      required: true,
      content: json(
        requestExample("SubscribeRequest", {
          workflow_id: "wf_inbox_triage",
          price_id: "price_inbox_triage_monthly",
        }),
      ),
    },
    responses: {
      "201": ok(
        "The Checkout session to send the user to, and the new micro-agent.",
        "SubscribeResponse",
        responseExample("SubscribeResponse", {
          checkout_url: "https://checkout.stripe.com/c/pay/cs_test_a1",
          micro_agent_id: AGENT_ID,
          micro_agent: microAgent,
        }),
      ),
      ...jsonBody(SUBSCRIBE_BODY_LIMIT, "price_id", "No such price"),
      ...authed,
      "500": stripeNotConfigured,
      "502": failure(
        "Stripe failed or could not be reached; nothing was recorded.",
        {
          detail: "Stripe error",
          code: "stripe_error",
        },
        {
          detail:
            "Our payment provider (Stripe) did not respond just now. Nothing was changed; please try again in a moment.",
          code: "stripe_unavailable",
        },
      ),
    },
  },
  {
    method: "get",
    path: "/api/microagents/me",
    tag: "Micro-agents",
    operationId: "listMicroAgents",
    summary: "The caller's micro-agents",
    description: "Newest first. Never cached.",
    auth: "user",
    responses: {
      "200": {
        description: "Every micro-agent of the caller.",
        content: json({
          schema: { type: "array", items: { $ref: "#/components/schemas/MicroAgent" } },
          example: [{ ...microAgent, status: "active" }],
        }),
      },
      ...authed,
    },
  },
  {
    method: "post",
    path: "/api/microagents/{id}/cancel",
    tag: "Micro-agents",
    operationId: "cancelMicroAgent",
    summary: "Cancel a micro-agent",
    description:
      "Cancels the Stripe subscription immediately (a pending agent's open checkout is expired instead) and marks " +
      "the agent `canceled`. Idempotent: cancelling a canceled agent answers it unchanged.",
    auth: "user",
    parameters: [pathParam("id", "The micro-agent id.", UUID)],
    responses: {
      "200": ok(
        "The canceled micro-agent.",
        "MicroAgent",
        responseExample("MicroAgent", { ...microAgent, status: "canceled" }),
      ),
      ...authed,
      "404": notFound,
      "500": stripeNotConfigured,
      "502": failure(
        "Stripe refused or could not be reached; the agent is unchanged.",
        {
          detail: "Stripe error",
          code: "stripe_error",
        },
        {
          detail:
            "Our payment provider (Stripe) did not respond just now. Nothing was changed; please try again in a moment.",
          code: "stripe_unavailable",
        },
      ),
    },
  },
  {
    method: "post",
    path: "/api/microagents/{id}/plan",
    tag: "Micro-agents",
    operationId: "changePlan",
    summary: "Switch an active micro-agent to another of its plans",
    description:
      "Moves the subscription to another active price of the same catalogue entry (for example monthly ↔ yearly) " +
      "through Stripe's subscription update with proration; a change of interval restarts the period and is " +
      "invoiced at once. The answer is the agent as Stripe now has it; the `customer.subscription.updated` webhook " +
      "keeps it in step afterwards. Asking for the plan it is already on changes nothing.",
    auth: "user",
    parameters: [pathParam("id", "The micro-agent id.", UUID)],
    requestBody: {
      required: true,
      content: json(requestExample("PlanChangeRequest", { price_id: "price_inbox_triage_yearly" })),
    },
    responses: {
      "200": ok(
        "The micro-agent on its new plan.",
        "MicroAgent",
        responseExample("MicroAgent", {
          ...microAgent,
          status: "active",
          stripe_price_id: "price_inbox_triage_yearly",
          stripe_subscription_id: "sub_1",
        }),
      ),
      ...jsonBody(PLAN_CHANGE_BODY_LIMIT, "price_id", "is a plan of “Meeting notes”, not of this micro-agent"),
      ...authed,
      "404": notFound,
      "409": failure("The micro-agent is not active (awaiting payment, or canceled).", {
        detail: "Only an active micro-agent can change plan.",
        code: "not_active",
      }),
      "500": stripeNotConfigured,
      "502": failure(
        "Stripe refused or could not be reached; the plan is unchanged.",
        {
          detail: "Stripe error",
          code: "stripe_error",
        },
        {
          detail:
            "Our payment provider (Stripe) did not respond just now. Nothing was changed; please try again in a moment.",
          code: "stripe_unavailable",
        },
      ),
    },
  },
];
