import { describe, expect, it } from "vitest";
import { createPendingFact } from "@/lib/facts/repository";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { useTestDatabase } from "@/e2e/support/test-database";
import { GET } from "./route";
import { POST as save } from "./[factId]/save/route";
import { POST as discard } from "./[factId]/discard/route";

useTestDatabase();

const get = (user?: TestUser, headers: Record<string, string> = {}) =>
  GET(new Request("http://app/facts", { headers: { ...user?.headers, ...headers } }), undefined);
const act = (handler: typeof save, factId: string, user?: TestUser) =>
  handler(new Request(`http://app/facts/${factId}/x`, { method: "POST", headers: user?.headers }), {
    params: Promise.resolve({ factId }),
  });

describe("facts REST endpoints", () => {
  it("GET /facts lists only the caller's saved facts, oldest first, in the seed's shape", async () => {
    const alice = await createTestUser();
    const bob = await createTestUser();
    const first = await createPendingFact({ userId: alice.id, text: "Name is Alice" });
    const second = await createPendingFact({ userId: alice.id, text: "Lives in Oslo" });
    await createPendingFact({ userId: alice.id, text: "still pending" });
    const bobs = await createPendingFact({ userId: bob.id, text: "Bob's fact" });
    for (const f of [second, first]) expect((await act(save, f.id, alice)).status).toBe(200);
    expect((await act(save, bobs.id, bob)).status).toBe(200);

    const res = await get(alice);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { facts: Record<string, unknown>[] };
    expect(body.facts.map((f) => f.text)).toEqual(["Name is Alice", "Lives in Oslo"]);
    expect(Object.keys(body.facts[0]!).sort()).toEqual(["createdAt", "id", "status", "text"]);
    expect(body.facts[0]!.status).toBe("saved");
    expect(body.facts[0]!.id).toMatch(/^fact_[0-9a-f]{32}$/);
  });

  it("save answers 200 with the fact, and repeating it changes nothing", async () => {
    const user = await createTestUser();
    const fact = await createPendingFact({ userId: user.id, text: "Likes tea" });
    const first = await act(save, fact.id, user);
    expect(first.status).toBe(200);
    const body = (await first.json()) as { fact: { status: string; text: string } };
    expect(body.fact).toMatchObject({ id: fact.id, status: "saved", text: "Likes tea" });
    const again = await act(save, fact.id, user);
    expect(((await again.json()) as { fact: { status: string } }).fact.status).toBe("saved");
  });

  it("discard answers 200 with status discarded and removes the fact from the list", async () => {
    const user = await createTestUser();
    const fact = await createPendingFact({ userId: user.id, text: "Has a cat" });
    await act(save, fact.id, user);
    const res = await act(discard, fact.id, user);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { fact: { status: string } }).fact.status).toBe("discarded");
    expect(((await (await get(user)).json()) as { facts: unknown[] }).facts).toEqual([]);
  });

  it("answers 404 'Fact not found' for unknown, malformed and another user's ids, changing nothing", async () => {
    const owner = await createTestUser();
    const intruder = await createTestUser();
    const fact = await createPendingFact({ userId: owner.id, text: "Secret" });
    for (const id of [fact.id, "fact_00000000", "nope", "fact_' or 1=1 --", "x".repeat(5000), "%00"]) {
      for (const handler of [save, discard]) {
        const res = await act(handler, id, intruder);
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({
          detail: "Fact not found",
          code: "fact_not_found",
          request_id: expect.any(String),
        });
      }
    }
    const ownerFacts = await act(save, fact.id, owner);
    expect(((await ownerFacts.json()) as { fact: { status: string } }).fact.status).toBe("saved");
  });

  it("answers 401 with WWW-Authenticate: Bearer without credentials or with a forged token", async () => {
    for (const res of [
      await get(),
      await get(undefined, { authorization: "Bearer not.a.jwt" }),
      await get(undefined, { authorization: "Basic abc" }),
      await act(save, "fact_00000000", undefined),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(((await res.json()) as { code: string }).code).toBe("unauthorized");
    }
  });
});
