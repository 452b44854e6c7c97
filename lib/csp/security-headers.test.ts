import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, pageContentSecurityPolicy, securityHeaders } from "./security-headers";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values] as [string, string[]];
    }),
  );
}

describe("security headers", () => {
  it("a page's scripts need the request's nonce (or a nonce'd script that adds them), never 'unsafe-inline'", () => {
    const csp = directives(pageContentSecurityPolicy({ nonce: "abc123==", dev: false }));
    const scripts = csp.get("script-src") ?? [];
    expect(scripts.slice(0, 2)).toEqual(["'nonce-abc123=='", "'strict-dynamic'"]);
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(scripts.filter((s) => s.startsWith("'nonce-"))).toHaveLength(1);
  });

  it("the page CSP allows ChatKit's frame and API calls to OpenAI and nothing from elsewhere", () => {
    const policy = pageContentSecurityPolicy({ nonce: "n", dev: false });
    const csp = directives(policy);
    expect(csp.get("frame-src")).toEqual(["https://cdn.platform.openai.com"]);
    expect(csp.get("connect-src")).toEqual(["'self'", "https://cdn.platform.openai.com", "https://api.openai.com"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    // Styles keep 'unsafe-inline' (style attributes cannot carry a nonce); nothing else does.
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.replace("style-src 'self' 'unsafe-inline'", "")).not.toMatch(/unsafe-inline|unsafe-eval|ws:|\*/);
  });

  it("development adds only what hot reloading needs", () => {
    const csp = directives(pageContentSecurityPolicy({ nonce: "n", dev: true }));
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
    expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
    expect(csp.get("connect-src")).toEqual(expect.arrayContaining(["ws:", "wss:"]));
  });

  it("every call makes a fresh 128-bit nonce", () => {
    const nonces = Array.from({ length: 1000 }, newNonce);
    expect(new Set(nonces).size).toBe(1000);
    for (const nonce of nonces.slice(0, 20)) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    }
  });

  it("responses that are not pages run no script at all", () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.has("script-src")).toBe(false);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|nonce|\*/);
  });

  it("pages may not be framed and send only their origin to other sites", () => {
    const headers = Object.fromEntries(securityHeaders().map((h) => [h.key, h.value]));
    expect(headers["Content-Security-Policy"]).toBe(contentSecurityPolicy());
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
  });
});
