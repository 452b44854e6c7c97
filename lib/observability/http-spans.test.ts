import { describe, expect, it } from "vitest";
import { traceStripeHttpClient, tracedFetch } from "./http-spans";

describe("with tracing not registered", () => {
  it("tracedFetch hands the call to the fetch it wraps, unchanged", async () => {
    const calls: unknown[][] = [];
    const base = (async (...args: unknown[]) => {
      calls.push(args);
      return new Response("ok", { status: 201 });
    }) as typeof fetch;
    const init = { method: "POST", body: "{}" };
    const res = await tracedFetch(base)("http://upstream.test/v1/responses", init);
    expect(res.status).toBe(201);
    expect(calls).toEqual([["http://upstream.test/v1/responses", init]]);
  });

  it("the Stripe client keeps its name and passes every argument of a request through", async () => {
    const seen: unknown[][] = [];
    const inner = {
      getClientName: () => "node",
      makeRequest: async (...args: unknown[]) => {
        seen.push(args);
        return { getStatusCode: () => 200 };
      },
    };
    const client = traceStripeHttpClient(inner);
    expect(client.getClientName()).toBe("node");
    const res = await client.makeRequest("api.stripe.com", "443", "/v1/customers", "GET", {}, "", "https", 1000);
    expect(res.getStatusCode()).toBe(200);
    expect(seen).toEqual([["api.stripe.com", "443", "/v1/customers", "GET", {}, "", "https", 1000]]);
  });
});
