/** Micro-agents: Stripe subscriptions to hosted workflows. */
import { SUBSCRIBE_BODY_LIMIT } from "@/lib/http/body-limits";
import { failure, json, pathParam, requestExample, responseExample, type Operation } from "../spec";
import { AGENT_ID, authed, ISO, jsonBody, ok, UUID } from "./shared";

const microAgent = {
  id: AGENT_ID,
  agent_name: "Weekly digest",
  workflow_id: "wf_68df4b2a",
  stripe_price_id: "price_123",
  stripe_subscription_id: null,
  status: "pending" as const,
  current_period_end: null,
  cancel_at_period_end: false,
  created_at: ISO,
  updated_at: ISO,
};

export const MICRO_AGENT_OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/api/microagents/subscribe",
    tag: "Micro-agents",
    operationId: "subscribe",
    summary: "Subscribe to a micro-agent",
    description:
      "Checks the price at Stripe (active and recurring), creates a Checkout session in subscription mode with the " +
      "micro-agent id, user id and workflow id in its metadata, and records a `pending` micro-agent. The webhook " +
      "makes it `active` once paid.",
    auth: "user",
    requestBody: {
      required: true,
      content: json(
        requestExample("SubscribeRequest", {
          agent_name: "Weekly digest",
          workflow_id: "wf_68df4b2a",
          price_id: "price_123",
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
      "500": failure("Stripe is not configured on this server.", {
        detail: "Stripe secret key is not configured",
        code: "not_configured",
      }),
      "502": failure("Stripe failed or could not be reached; nothing was recorded.", {
        detail: "Stripe error",
        code: "stripe_error",
      }),
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
      "404": failure("Unknown, malformed or another user's id.", {
        detail: "Micro agent not found",
        code: "micro_agent_not_found",
      }),
      "500": failure("Stripe is not configured on this server.", {
        detail: "Stripe secret key is not configured",
        code: "not_configured",
      }),
      "502": failure("Stripe refused or could not be reached; the agent is unchanged.", {
        detail: "Stripe error",
        code: "stripe_error",
      }),
    },
  },
];
