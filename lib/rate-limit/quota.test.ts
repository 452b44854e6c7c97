/** Per-user quotas in Postgres: one statement decides and counts, exactly, across concurrent calls. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { useTestDatabase } from "@/e2e/support/test-database";
import { consumeUserQuota } from "./quota";

useTestDatabase({ RATE_LIMIT_DISABLED: "" });

const NOW = Date.UTC(2026, 0, 10, 12, 0, 30);

describe("consumeUserQuota", () => {
  it("allows the short-window rate, then refuses with the seconds left in the minute", async () => {
    const db = await getDb();
    const user = randomUUID();
    const rule = { perMinute: 3, perDay: 100 };
    for (let i = 0; i < 3; i++) expect((await consumeUserQuota(db, "model_turn", user, rule, NOW)).allowed).toBe(true);
    const refused = await consumeUserQuota(db, "model_turn", user, rule, NOW);
    expect(refused).toMatchObject({ allowed: false, reason: "rate", retryAfterSeconds: 30 });
    // Another user, and another kind of work, are counted apart.
    expect((await consumeUserQuota(db, "model_turn", randomUUID(), rule, NOW)).allowed).toBe(true);
    expect((await consumeUserQuota(db, "upload", user, rule, NOW)).allowed).toBe(true);
  });

  it("refuses past the daily quota until the next day, and refused attempts cost nothing of it", async () => {
    const db = await getDb();
    const user = randomUUID();
    const rule = { perMinute: 2, perDay: 3 };
    const at = (minutes: number) => NOW + minutes * 60_000;
    const outcome = async (minutes: number) => {
      const d = await consumeUserQuota(db, "model_turn", user, rule, at(minutes));
      return d.allowed ? "ok" : d.reason;
    };
    expect([await outcome(0), await outcome(0), await outcome(0), await outcome(0)]).toEqual([
      "ok",
      "ok",
      "rate",
      "rate",
    ]);
    expect(await outcome(1)).toBe("ok"); // the third of the day: the refused ones were not counted
    const daily = await consumeUserQuota(db, "model_turn", user, rule, at(2));
    expect(daily).toMatchObject({ allowed: false, reason: "daily" });
    expect(daily.allowed || daily.retryAfterSeconds).toBe(12 * 3600 - 30 - 120);
    expect(await outcome(12 * 60)).toBe("ok"); // a new day
  });

  it("counts concurrent turns exactly: never more than the limit get through", async () => {
    const db = await getDb();
    const user = randomUUID();
    const decisions = await Promise.all(
      Array.from({ length: 25 }, () => consumeUserQuota(db, "model_turn", user, { perMinute: 10, perDay: 100 }, NOW)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });
});
