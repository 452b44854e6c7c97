import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { migratePglite } from "./migrate";
import { facts, users } from "./schema";

describe("embedded PGlite", () => {
  it("runs every migration and serves the schema's queries", async () => {
    const handle = await openDatabase({ driver: "pglite", dataDir: ":memory:" });
    try {
      await migratePglite(handle.db);
      await migratePglite(handle.db); // a second run is a no-op
      const [user] = await handle.db.insert(users).values({ email: "p@example.com" }).returning();
      expect(user?.tokenVersion).toBe(0);
      await handle.db.insert(facts).values({ id: "fact_1", userId: user!.id, text: "likes tea" });
      const rows = await handle.db.select().from(facts).where(eq(facts.userId, user!.id));
      expect(rows.map((r) => [r.text, r.status])).toEqual([["likes tea", "pending"]]);
    } finally {
      await handle.close();
    }
  });
});
