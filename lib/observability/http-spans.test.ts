import { describe, expect, it } from "vitest";
import { pathTemplate, traceStripeHttpClient, tracedFetch } from "./http-spans";

describe("pathTemplate", () => {
  it("folds the segments that name one object to {id} and drops the query", () => {
    expect(pathTemplate("/v1/responses")).toBe("/v1/responses");
    expect(pathTemplate("/v1/files/file-abc123/content?purpose=x")).toBe("/v1/files/{id}/content");
    expect(pathTemplate("/v1/vector_stores/vs_68a1b2c3/files")).toBe("/v1/vector_stores/{id}/files");
    expect(pathTemplate("/v1/subscriptions/sub_1PxYz2AbCdEf?expand[]=items")).toBe("/v1/subscriptions/{id}");
    expect(pathTemplate("/v1/customers?email=someone%40example.com")).toBe("/v1/customers");
    expect(pathTemplate("/v1/checkout/sessions")).toBe("/v1/checkout/sessions");
  });
});

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
