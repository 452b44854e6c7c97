import { describe, expect, it } from "vitest";
import { pathTemplate } from "./path-template";

describe("pathTemplate", () => {
  it("folds the segments that name one object to {id} and drops the query", () => {
    expect(pathTemplate("/v1/responses")).toBe("/v1/responses");
    expect(pathTemplate("/v1/files/file-abc123/content?purpose=x")).toBe("/v1/files/{id}/content");
    expect(pathTemplate("/v1/vector_stores/vs_68a1b2c3/files")).toBe("/v1/vector_stores/{id}/files");
    expect(pathTemplate("/v1/subscriptions/sub_1PxYz2AbCdEf?expand[]=items")).toBe("/v1/subscriptions/{id}");
    expect(pathTemplate("/v1/customers?email=someone%40example.com")).toBe("/v1/customers");
    expect(pathTemplate("/v1/checkout/sessions")).toBe("/v1/checkout/sessions");
  });
});

describe("pathTemplate of our own routes", () => {
  it("names an API request by its route, not by the ids in its path", () => {
    expect(pathTemplate("/chatkit")).toBe("/chatkit");
    expect(pathTemplate("/facts/fact_9f2c41aa/save")).toBe("/facts/{id}/save");
    expect(pathTemplate("/api/subscriptions/3fa85f64-5717-4562-b3fc-2c963f66afa6")).toBe("/api/subscriptions/{id}");
  });
});

describe("pathTemplate's memory of paths it folded", () => {
  it("answers a path seen before the same, and keeps folding once it has forgotten", () => {
    expect(pathTemplate("/facts/fact_1a2b3c4d/save")).toBe("/facts/{id}/save");
    expect(pathTemplate("/facts/fact_1a2b3c4d/save")).toBe("/facts/{id}/save");
    for (let i = 0; i < 2500; i++) expect(pathTemplate(`/facts/fact_${100000 + i}`)).toBe("/facts/{id}");
    expect(pathTemplate("/facts/fact_1a2b3c4d/save")).toBe("/facts/{id}/save");
  });
});
