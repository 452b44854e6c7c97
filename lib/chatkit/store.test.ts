import { describe, expect, it } from "vitest";
import { InMemoryStore, nowIso, paginate } from "./store";
import { countingIds, storeContractSuite } from "@/e2e/support/chatkit/store-contract";

type Ctx = { user_id: string };
const scope = (c: Ctx) => c.user_id;

storeContractSuite<Ctx>("in-memory", {
  makeStore: () => new InMemoryStore<Ctx>(scope),
  makeCountingStore: () => countingIds(new InMemoryStore<Ctx>(scope)),
  contexts: async () => [{ user_id: "user_a" }, { user_id: "user_b" }],
});

describe("store helpers", () => {
  it("nowIso is strictly increasing even within one millisecond", () => {
    const stamps = Array.from({ length: 50 }, () => nowIso());
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
    expect(stamps[0]).toMatch(/Z$/);
  });

  it("paginate returns after only when more remain", () => {
    const list = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(paginate(list, null, 3, "asc")).toEqual({ data: list, has_more: false });
    expect(paginate(list, "a", 1, "asc")).toEqual({ data: [{ id: "b" }], has_more: true, after: "b" });
  });
});
