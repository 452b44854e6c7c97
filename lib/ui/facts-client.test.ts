import { describe, expect, it, vi } from "vitest";
import { ApiError } from "./api";
import { discardFact, fetchFacts, restoreFact } from "./facts-client";

const fact = {
  id: "fact_0123456789abcdef",
  text: "User's name is Kaz",
  status: "saved",
  createdAt: "2026-01-01T00:00:00.000Z",
};

function answer(body: unknown, status = 200) {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
}

describe("facts client", () => {
  it("lists the saved facts as the API returns them", async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(answer({ facts: [fact] }));
    expect(await fetchFacts(fetchImpl)).toEqual([fact]);
    expect(fetchImpl.mock.calls[0]?.[0]).toBe("/facts");
  });

  it("discard and undo post to the fact's own path, with the id escaped", async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(answer({ fact: { ...fact, status: "discarded" } }))
      .mockResolvedValueOnce(answer({ fact }));
    expect((await discardFact(fetchImpl, "fact_1/../x")).status).toBe("discarded");
    expect((await restoreFact(fetchImpl, fact.id)).status).toBe("saved");
    expect(fetchImpl.mock.calls.map(([url, init]) => [url, init?.method])).toEqual([
      ["/facts/fact_1%2F..%2Fx/discard", "POST"],
      [`/facts/${fact.id}/save`, "POST"],
    ]);
  });

  it("an error answer becomes an ApiError carrying the status and the server's detail", async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValue(answer({ detail: "Fact not found", code: "not_found" }, 404));
    await expect(discardFact(fetchImpl, fact.id)).rejects.toMatchObject({ status: 404, message: "Fact not found" });
    await expect(discardFact(fetchImpl, fact.id)).rejects.toBeInstanceOf(ApiError);
  });

  it("a body of the wrong shape is reported, never shown as an empty list", async () => {
    for (const body of ["not json", { facts: "none" }, { facts: [{ id: 1 }] }]) {
      const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(answer(body));
      await expect(fetchFacts(fetchImpl)).rejects.toThrow(/unexpected format/);
    }
  });
});
