import { describe, expect, it } from "vitest";
import { GET } from "./route";

describe("GET /api/openapi.json", () => {
  it("answers 200 JSON with the OpenAPI 3.1 document, readable from any origin", async () => {
    const res = await GET(
      new Request("http://app/api/openapi.json", { headers: { origin: "https://tools.example" } }),
      undefined,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(body.openapi).toBe("3.1.0");
    expect(body.paths["/facts"]?.get).toBeDefined();
    expect(body.paths["/chatkit"]?.post).toBeDefined();
  });

  it("needs no credentials and no database", async () => {
    const res = await GET(new Request("http://app/api/openapi.json"), undefined);
    expect(res.status).toBe(200);
  });
});
