import { describe, expect, it, vi } from "vitest";
import { createAuthedFetch, errorDetail, signInUrl } from "./api";

describe("authed fetch", () => {
  it("always sends the session cookie and keeps the caller's other options", async () => {
    const base = vi.fn<typeof fetch>().mockResolvedValue(new Response("{}", { status: 200 }));
    const onUnauthorized = vi.fn();
    await createAuthedFetch(onUnauthorized, base)("/chatkit", { method: "POST", body: "{}", credentials: "omit" });
    const [, init] = base.mock.calls[0]!;
    expect(init).toMatchObject({ method: "POST", body: "{}", credentials: "include" });
    // A string body goes out as JSON: our write endpoints refuse other content types.
    expect(new Headers(init?.headers).get("content-type")).toBe("application/json");
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it("keeps a content type the caller chose", async () => {
    const base = vi.fn<typeof fetch>().mockResolvedValue(new Response("{}", { status: 200 }));
    await createAuthedFetch(vi.fn(), base)("/x", {
      method: "POST",
      body: "a",
      headers: { "content-type": "text/csv" },
    });
    expect(new Headers(base.mock.calls[0]![1]?.headers).get("content-type")).toBe("text/csv");
  });

  it("a 401 answer calls onUnauthorized and is still returned to the caller", async () => {
    const base = vi.fn<typeof fetch>().mockResolvedValue(new Response("{}", { status: 401 }));
    const onUnauthorized = vi.fn();
    const response = await createAuthedFetch(onUnauthorized, base)("/facts");
    expect(response.status).toBe(401);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it("other errors (403, 500) do not count as an expired session", async () => {
    const onUnauthorized = vi.fn();
    for (const status of [403, 404, 500, 503]) {
      const base = vi.fn<typeof fetch>().mockResolvedValue(new Response("{}", { status }));
      await createAuthedFetch(onUnauthorized, base)("/facts");
    }
    expect(onUnauthorized).not.toHaveBeenCalled();
  });
});

describe("errorDetail", () => {
  it("reads the contract's detail, and falls back on bodies that are not the contract", async () => {
    expect(await errorDetail(new Response(JSON.stringify({ detail: "Fact not found", code: "not_found" })), "x")).toBe(
      "Fact not found",
    );
    expect(await errorDetail(new Response("<html>Bad gateway</html>"), "fallback")).toBe("fallback");
    expect(await errorDetail(new Response(JSON.stringify({ detail: 42 })), "fallback")).toBe("fallback");
  });
});

describe("signInUrl", () => {
  it("sends the person back to where they were after signing in", () => {
    const url = new URL(signInUrl("/chat"), "http://x");
    expect(url.pathname).toBe("/login");
    expect(url.searchParams.get("callbackUrl")).toBe("/chat");
  });
});

describe("sign-in redirects during a sign-out", () => {
  it("a 401 noticed while signing out does not navigate; after a failed sign-out it does again", async () => {
    const assign = vi.fn();
    vi.stubGlobal("window", { location: { assign } });
    vi.resetModules();
    const { holdSignInRedirects, redirectToSignIn } = await import("./api");
    try {
      const release = holdSignInRedirects();
      redirectToSignIn("/chat");
      expect(assign).not.toHaveBeenCalled();
      release();
      redirectToSignIn("/chat?thread=thr_1");
      expect(assign).toHaveBeenCalledExactlyOnceWith("/login?callbackUrl=%2Fchat%3Fthread%3Dthr_1");
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
