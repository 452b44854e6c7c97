import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "./security-headers";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values] as [string, string[]];
    }),
  );
}

describe("security headers", () => {
  it("the production CSP allows ChatKit's script and frame from OpenAI's CDN and nothing from elsewhere", () => {
    const csp = directives(contentSecurityPolicy({ dev: false }));
    expect(csp.get("script-src")).toEqual(["'self'", "'unsafe-inline'", "https://cdn.platform.openai.com"]);
    expect(csp.get("frame-src")).toEqual(["https://cdn.platform.openai.com"]);
    expect(csp.get("connect-src")).toEqual(["'self'", "https://cdn.platform.openai.com", "https://api.openai.com"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(contentSecurityPolicy({ dev: false })).not.toMatch(/unsafe-eval|ws:|\*/);
  });

  it("development adds only what hot reloading needs", () => {
    const csp = directives(contentSecurityPolicy({ dev: true }));
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
    expect(csp.get("connect-src")).toEqual(expect.arrayContaining(["ws:", "wss:"]));
  });

  it("pages may not be framed and send only their origin to other sites", () => {
    const headers = Object.fromEntries(securityHeaders({ dev: false }).map((h) => [h.key, h.value]));
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
  });
});
