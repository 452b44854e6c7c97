import { describe, expect, it } from "vitest";
import { scrub, scrubText } from "./redact";
import { isSafeRequestId, requestIdFrom } from "./request-id";

describe("the log redaction layer", () => {
  it("removes addresses, bearer tokens, JWTs, API keys, URL passwords and query tokens from strings", () => {
    const text =
      "to a.b+c@example.co.uk with Bearer abc.def-123 jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig " +
      "keys sk-proj-abcdefgh12345 sk_live_abcdefgh1234 whsec_abcdefgh1234 " +
      "db postgres://app:s3cr3t@db.host/x link https://x.test/reset?token=deadbeef&next=/";
    const out = scrubText(text);
    for (const secret of [
      "a.b+c@example",
      "abc.def-123",
      "eyJhbGci",
      "sk-proj-abc",
      "sk_live_abc",
      "whsec_abc",
      "s3cr3t",
      "deadbeef",
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain("next=/");
  });

  it("replaces whole values under keys that carry credentials or user words, at any depth, and keeps errors readable", () => {
    const err = new Error("lookup of someone@example.com failed");
    const out = scrub({ user_id: "u1", password: "hunter2", nested: { text: "my words", token: "t" }, err }) as Record<
      string,
      unknown
    >;
    expect(out.user_id).toBe("u1");
    expect(JSON.stringify(out)).not.toMatch(/hunter2|my words|someone@/);
    expect(out.err).toMatchObject({ type: "Error", message: "lookup of [email] failed" });
  });
});

describe("request ids", () => {
  it("keeps a safe incoming x-request-id, else x-vercel-id, else makes a UUID", () => {
    expect(requestIdFrom(new Headers({ "x-request-id": "abc-1", "x-vercel-id": "v" }))).toBe("abc-1");
    expect(requestIdFrom(new Headers({ "x-request-id": "bad id", "x-vercel-id": "cdg1::xyz" }))).toBe("cdg1::xyz");
    expect(requestIdFrom(new Headers())).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(isSafeRequestId("x".repeat(128))).toBe(true);
    expect(isSafeRequestId("x".repeat(129))).toBe(false);
    expect(isSafeRequestId('a"b')).toBe(false);
  });
});
