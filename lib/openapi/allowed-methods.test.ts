import { describe, expect, it } from "vitest";
import { allowedMethods } from "./allowed-methods";

describe("the methods each API path answers", () => {
  it("a route's methods come from the registry, with HEAD beside GET and OPTIONS everywhere", () => {
    expect(allowedMethods("/chatkit")).toEqual(["OPTIONS", "POST"]);
    expect(allowedMethods("/health")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/chatkit/attachments/atc_1/upload")).toEqual(["OPTIONS", "POST", "PUT"]);
  });

  it("a path parameter matches any one segment, and only one", () => {
    expect(allowedMethods("/facts/3f2a/save")).toEqual(["OPTIONS", "POST"]);
    expect(allowedMethods("/facts/a/b/save")).toBeUndefined();
    expect(allowedMethods("/facts//save")).toBeUndefined();
  });

  it("our own routes under /api/auth win over next-auth's catch-all, which answers GET and POST anywhere else", () => {
    expect(allowedMethods("/api/auth/me")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/api/auth/oauth/google")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/api/auth/session")).toEqual(["GET", "HEAD", "OPTIONS", "POST"]);
    expect(allowedMethods("/api/auth/anything/else")).toEqual(["GET", "HEAD", "OPTIONS", "POST"]);
  });

  it("a path that is no endpoint has no answer (the framework's 404 stands)", () => {
    expect(allowedMethods("/api/nope")).toBeUndefined();
    expect(allowedMethods("/login")).toBeUndefined();
  });
});
