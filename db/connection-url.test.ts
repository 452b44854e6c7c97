import { describe, expect, it } from "vitest";
import { resolveDatabase } from "./connection-url";

describe("driver selection from DATABASE_URL", () => {
  it("uses embedded PGlite when unset", () => {
    expect(resolveDatabase(undefined, undefined, ".data/pglite")).toEqual({
      driver: "pglite",
      dataDir: ".data/pglite",
    });
  });
  it("uses node-postgres for postgres:// and postgresql://", () => {
    expect(resolveDatabase("postgres://u@localhost/db", undefined, "x").driver).toBe("pg");
    expect(resolveDatabase("postgresql://u@localhost/db", undefined, "x").driver).toBe("pg");
  });
  it("normalises the seed's postgresql+asyncpg:// form", () => {
    expect(resolveDatabase("postgresql+asyncpg://u:p@h:5432/db", undefined, "x")).toEqual({
      driver: "pg",
      url: "postgresql://u:p@h:5432/db",
    });
  });
  it("uses the Neon driver for Neon hosts or when forced", () => {
    expect(resolveDatabase("postgresql://u:p@ep-x-123.us-east-2.aws.neon.tech/db", undefined, "x").driver).toBe("neon");
    expect(resolveDatabase("postgres://u@127.0.0.1/db", "neon", "x").driver).toBe("neon");
  });
  it("rejects other schemes with a clear message", () => {
    expect(() => resolveDatabase("mysql://x", undefined, "x")).toThrowError(/DATABASE_URL/);
  });
});
