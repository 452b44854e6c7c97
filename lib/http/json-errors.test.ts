import { describe, expect, it } from "vitest";
import { ensureJsonError } from "./json-errors";

describe("ensureJsonError", () => {
  it("passes success and redirect answers through untouched", async () => {
    const ok = new Response("hi", { status: 200 });
    expect(await ensureJsonError(ok)).toBe(ok);
    const redirect = new Response(null, { status: 302, headers: { location: "/x" } });
    expect(await ensureJsonError(redirect)).toBe(redirect);
  });

  it("turns a plain-text error into the JSON error body with its sentence as detail", async () => {
    const res = await ensureJsonError(
      new Response("Error: This action with HTTP GET is not supported by NextAuth.js", {
        status: 400,
        headers: { "content-type": "text/plain", "set-cookie": "a=b" },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("set-cookie")).toBe("a=b");
    expect(await res.json()).toEqual({
      detail: "This action with HTTP GET is not supported by NextAuth.js",
      code: "bad_request",
    });
  });

  it("never echoes an unreadable body such as [object Object] or HTML", async () => {
    for (const body of ["[object Object]", "<!DOCTYPE html><p>x</p>", ""]) {
      const res = await ensureJsonError(new Response(body, { status: 404 }));
      expect(await res.json()).toEqual({ detail: "The request could not be processed", code: "not_found" });
    }
  });

  it("maps a 5xx to the given client status when asked, without internals", async () => {
    const res = await ensureJsonError(
      Response.json({ message: "There is a problem with the server configuration." }, { status: 500 }),
      { serverErrorsAs: 400 },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ detail: "The request could not be processed", code: "bad_request" });
  });

  it("keeps the fields of a JSON answer, such as the url of next-auth's failed credentials sign-in", async () => {
    const url = "http://app/api/auth/error?error=CredentialsSignin&provider=credentials";
    const res = await ensureJsonError(Response.json({ url }, { status: 401 }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ url, detail: "The request could not be processed", code: "unauthorized" });
  });

  it("keeps an answer that already is our error body", async () => {
    const res = await ensureJsonError(Response.json({ detail: "Nope", code: "x" }, { status: 409 }));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ detail: "Nope", code: "x" });
  });
});
