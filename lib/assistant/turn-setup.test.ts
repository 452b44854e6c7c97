/** The turn's one statement: recalled facts for the instructions, the unsynced flag and the quota count together. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { facts, userVectorStore } from "@/db/schema";
import { createTestUser } from "@/e2e/support/users";
import { useTestDatabase } from "@/e2e/support/test-database";
import { newFactId } from "@/lib/facts/repository";
import { KNOWN_FACTS_HEADING, SYSTEM_PROMPT } from "./constants";
import { RECALL_LIMIT } from "./instructions";
import { readTurnSetup } from "./turn-setup";

useTestDatabase({ RATE_LIMIT_DISABLED: "", MODEL_TURNS_PER_MINUTE: "2", MODEL_TURNS_PER_DAY: "50" });

async function addFacts(userId: string, texts: string[], status: "saved" | "pending" | "discarded", synced: boolean) {
  const db = await getDb();
  const base = Date.UTC(2026, 0, 1);
  await db.insert(facts).values(
    texts.map((text, i) => ({
      id: newFactId(),
      userId,
      text,
      status,
      createdAt: new Date(base + i * 1000),
      memorySyncedAt: synced ? new Date() : null,
      memoryFileId: synced ? `file_${i}` : null,
    })),
  );
}

describe("readTurnSetup", () => {
  it("recalls only saved facts, oldest first, with whitespace folded, and no heading when there are none", async () => {
    const user = await createTestUser();
    expect((await readTurnSetup(user.id, false)).instructions).toBe(SYSTEM_PROMPT);
    await addFacts(user.id, ["Lives in\n Lisbon", "Has a cat"], "saved", true);
    await addFacts(user.id, ["Pending thing"], "pending", false);
    await addFacts(user.id, ["Discarded thing"], "discarded", false);
    const setup = await readTurnSetup(user.id, false);
    expect(setup.instructions).toBe(`${SYSTEM_PROMPT}\n\n${KNOWN_FACTS_HEADING}\n- Lives in Lisbon\n- Has a cat`);
    expect(setup.unsyncedFacts).toBe(false);
  });

  it("keeps the newest facts when there are more than the recall limit", async () => {
    const user = await createTestUser();
    await addFacts(
      user.id,
      Array.from({ length: RECALL_LIMIT + 5 }, (_, i) => `fact ${i}`),
      "saved",
      true,
    );
    const { instructions } = await readTurnSetup(user.id, false);
    const lines = instructions.slice(instructions.indexOf(KNOWN_FACTS_HEADING)).split("\n").slice(1);
    expect(lines).toHaveLength(RECALL_LIMIT);
    expect(lines[0]).toBe("- fact 5");
    expect(lines.at(-1)).toBe(`- fact ${RECALL_LIMIT + 4}`);
  });

  it("says when a saved fact still awaits its copy to the user's vector store, never without a store or for another user's", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    await addFacts(other.id, ["not mine"], "saved", false);
    await addFacts(user.id, ["mine"], "saved", false);
    // No store recorded yet: nothing to copy to, no sync to try.
    expect((await readTurnSetup(user.id, false)).unsyncedFacts).toBe(false);
    const db = await getDb();
    await db.insert(userVectorStore).values({ userId: user.id, vectorStoreId: "vs_turn_setup" });
    const setup = await readTurnSetup(user.id, false);
    expect(setup.unsyncedFacts).toBe(true);
    expect(setup.instructions).not.toContain("not mine");
    await db.insert(userVectorStore).values({ userId: other.id, vectorStoreId: "vs_other" });
    const synced = await createTestUser();
    await addFacts(synced.id, ["copied"], "saved", true);
    await db.insert(userVectorStore).values({ userId: synced.id, vectorStoreId: "vs_synced" });
    expect((await readTurnSetup(synced.id, false)).unsyncedFacts).toBe(false);
  });

  it("counts a turn against the quota in the same statement and refuses past the rate; no count without a model", async () => {
    const user = await createTestUser();
    await addFacts(user.id, ["Likes tea"], "saved", true);
    for (let i = 0; i < 5; i++) expect((await readTurnSetup(user.id, false)).quota.allowed).toBe(true);
    expect((await readTurnSetup(user.id, true)).quota.allowed).toBe(true);
    expect((await readTurnSetup(user.id, true)).quota.allowed).toBe(true);
    const refused = await readTurnSetup(user.id, true);
    expect(refused.quota).toMatchObject({ allowed: false, reason: "rate" });
    // A refused turn still reads the facts (the statement is one).
    expect(refused.instructions).toContain("- Likes tea");
    const db = await getDb();
    const counted = await db.execute(
      sql`select coalesce(sum(count), 0)::int as n from rate_limits where bucket = ${`quota:model_turn:minute:${user.id}`}`,
    );
    expect((counted as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(2);
  });
});
