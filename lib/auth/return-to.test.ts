import { describe, expect, it } from "vitest";
import { safeReturnTo } from "./return-to";

const ORIGIN = "https://app.example.test";

describe("safeReturnTo", () => {
  it.each([
    ["/chat", "/chat"],
    ["/dashboard?tab=1#top", "/dashboard?tab=1#top"],
    ["/facts/%09x", "/facts/%09x"],
    [`${ORIGIN}/dashboard`, "/dashboard"],
    ["/a/../b", "/b"],
  ])("keeps the same-origin target %j as %j", (raw, expected) => {
    expect(safeReturnTo(raw, { origin: ORIGIN })).toBe(expected);
  });

  it.each([
    ["a TAB before the host", "/\t/evil.example/x"],
    ["a CR", "/\r/evil.example"],
    ["an LF", "/\n/evil.example"],
    ["CRLF header injection", "/chat\r\nSet-Cookie: a=b"],
    ["a backslash", "/\\evil.example"],
    ["a backslash later on", "/chat\\..\\..\\evil"],
    ["protocol-relative", "//evil.example/x"],
    ["a dot segment that normalises to //host", "/.//evil.example"],
    ["another origin", "https://evil.example/chat"],
    ["our host over another scheme", "http://app.example.test/chat"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "chat"],
    ["a NUL", "/chat\u0000"],
    ["a C1 control", "/chat\u0085"],
    ["an oversized value", `/${"a".repeat(3000)}`],
    ["empty", ""],
    ["not a string", 42],
  ])("refuses %s", (_, raw) => {
    expect(safeReturnTo(raw, { origin: ORIGIN })).toBe("/chat");
  });

  it("works without an origin (relative paths only) and with a chosen fallback", () => {
    expect(safeReturnTo("/dashboard")).toBe("/dashboard");
    expect(safeReturnTo(`${ORIGIN}/dashboard`)).toBe("/chat");
    expect(safeReturnTo("//evil.example", { fallback: "/" })).toBe("/");
  });

  it("never throws, whatever the origin it is given", () => {
    expect(safeReturnTo("/chat", { origin: "not a url" })).toBe("/chat");
  });
});
