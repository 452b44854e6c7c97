import { describe, expect, it } from "vitest";
import { withPageNonce } from "./page-csp";

/** What NextResponse.next passes on to the page as its request headers. */
const forwarded = (response: Response, name: string) => response.headers.get(`x-middleware-request-${name}`);

describe("the page CSP proxy step", () => {
  it("puts one fresh nonce in the page's request (for Next and the layout) and in the browser's policy", () => {
    const response = withPageNonce(new Request("http://app.test/chat"), { dev: false });
    const nonce = forwarded(response, "x-nonce");
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const policy = response.headers.get("content-security-policy");
    expect(policy).toContain(`script-src 'nonce-${nonce}' 'strict-dynamic'`);
    expect(forwarded(response, "content-security-policy")).toBe(policy);
  });

  it("gives every request its own nonce and ignores one the client sent", () => {
    const request = () =>
      new Request("http://app.test/", { headers: { "x-nonce": "chosen", "content-security-policy": "x" } });
    const nonces = Array.from({ length: 50 }, () => forwarded(withPageNonce(request(), { dev: false }), "x-nonce"));
    expect(new Set(nonces).size).toBe(50);
    expect(nonces).not.toContain("chosen");
  });
});
