/** The CSRF rule run by proxy.ts: which writes are refused, and which pass untouched. */
import { describe, expect, it } from "vitest";
import { rejectForgedWrite } from "./csrf";

const COOKIE = "next-auth.session-token=abc";

function write(path: string, headers: Record<string, string>, method = "POST", body = "{}") {
  return new Request(`http://app.example.test${path}`, {
    method,
    headers: { host: "app.example.test", "content-length": String(body.length), ...headers },
    body: method === "GET" ? undefined : body,
  });
}

async function answer(request: Request) {
  const res = rejectForgedWrite(request);
  return res ? { status: res.status, body: (await res.json()) as { code: string } } : undefined;
}

describe("rejectForgedWrite", () => {
  it.each([
    ["a cross-site form POST", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
    ["a sibling host of the same site", { "sec-fetch-site": "same-site", origin: "https://blog.example.test" }],
    ["a foreign Origin without Sec-Fetch-Site", { origin: "https://evil.example" }],
    ["an opaque (null) Origin", { origin: "null" }],
    ["Sec-Fetch-Site cross-site without Origin", { "sec-fetch-site": "cross-site" }],
  ])("refuses %s with 403 JSON", async (_, headers) => {
    for (const path of ["/facts/fact_1/discard", "/api/microagents/ma_1/cancel", "/chatkit", "/api/auth/signup"]) {
      const res = await answer(write(path, { cookie: COOKIE, "content-type": "application/json", ...headers }));
      expect(res).toEqual({ status: 403, body: expect.objectContaining({ code: "cross_site_request_refused" }) });
    }
  });

  it.each([
    ["our own page", { "sec-fetch-site": "same-origin", origin: "http://app.example.test" }],
    ["a non-browser client (no Origin, no Sec-Fetch-Site)", {}],
    ["a bearer-token client even from another origin", { authorization: "Bearer t", origin: "https://other.example" }],
  ])("lets %s through", async (_, headers) => {
    expect(
      await answer(write("/facts/fact_1/discard", { cookie: COOKIE, "content-type": "application/json", ...headers })),
    ).toBeUndefined();
  });

  it("leaves reads alone and Apple's cross-site form_post callback to next-auth's own checks", async () => {
    const evil = { cookie: COOKIE, "sec-fetch-site": "cross-site", origin: "https://evil.example" };
    expect(await answer(write("/facts", evil, "GET"))).toBeUndefined();
    const apple = {
      "sec-fetch-site": "cross-site",
      origin: "https://appleid.apple.com",
      "content-type": "application/x-www-form-urlencoded",
    };
    expect(await answer(write("/api/auth/callback/apple", apple, "POST", "code=x&state=y"))).toBeUndefined();
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""])(
    "with a session cookie, a body of type %j to a JSON endpoint is refused with 415",
    async (type) => {
      const headers: Record<string, string> = { cookie: COOKIE, "sec-fetch-site": "same-origin" };
      if (type) headers["content-type"] = type;
      expect(await answer(write("/facts/fact_1/save", headers))).toMatchObject({ status: 415 });
    },
  );

  it("accepts JSON types, empty bodies, uploads and next-auth forms with a session cookie", async () => {
    const base = { cookie: COOKIE, "sec-fetch-site": "same-origin" };
    expect(
      await answer(write("/chatkit", { ...base, "content-type": "application/json; charset=utf-8" })),
    ).toBeUndefined();
    expect(await answer(write("/api/microagents/ma_1/cancel", base, "POST", ""))).toBeUndefined();
    expect(
      await answer(write("/chatkit/attachments/atc_12345678/upload", { ...base, "content-type": "image/png" })),
    ).toBeUndefined();
    expect(
      await answer(write("/api/auth/signout", { ...base, "content-type": "application/x-www-form-urlencoded" })),
    ).toBeUndefined();
  });
});
