import { describe, expect, it } from "vitest";
import { rejectWrongMethod } from "./method-guard";

const table = (path: string) => (path === "/things" ? ["GET", "HEAD", "OPTIONS"] : undefined);

describe("the wrong-method guard", () => {
  it("answers a method the path does not serve with our JSON 405 and the allowed methods", async () => {
    const response = rejectWrongMethod(new Request("http://app.test/things", { method: "DELETE" }), table);
    expect(response?.status).toBe(405);
    expect(response?.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(response?.headers.get("content-type")).toContain("application/json");
    expect(await response?.json()).toEqual({
      detail: "DELETE is not allowed here (allowed: GET, HEAD, OPTIONS)",
      code: "method_not_allowed",
    });
  });

  it("lets allowed methods and paths it does not know through", () => {
    expect(rejectWrongMethod(new Request("http://app.test/things"), table)).toBeUndefined();
    expect(rejectWrongMethod(new Request("http://app.test/things", { method: "HEAD" }), table)).toBeUndefined();
    expect(rejectWrongMethod(new Request("http://app.test/other", { method: "PUT" }), table)).toBeUndefined();
  });
});
