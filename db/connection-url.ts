/** Which driver a DATABASE_URL calls for, and the URL that driver understands. */

export type DriverKind = "pglite" | "pg" | "neon";

export type ResolvedDatabase = { driver: "pglite"; dataDir: string } | { driver: "pg" | "neon"; url: string };

const NEON_HOST = /\.neon\.tech$|\.neon\.build$/i;

export function resolveDatabase(
  url: string | undefined,
  forced: DriverKind | undefined,
  defaultDataDir: string,
): ResolvedDatabase {
  if (!url || forced === "pglite") {
    const dir = url?.startsWith("pglite://") ? url.slice("pglite://".length) : undefined;
    return { driver: "pglite", dataDir: dir || defaultDataDir };
  }
  if (url.startsWith("pglite://"))
    return { driver: "pglite", dataDir: url.slice("pglite://".length) || defaultDataDir };
  // The earlier backend's SQLAlchemy form.
  const normalised = url.replace(/^postgres(ql)?\+asyncpg:\/\//, "postgresql://");
  if (!/^postgres(ql)?:\/\//.test(normalised)) {
    throw new Error("DATABASE_URL must start with postgres://, postgresql:// or postgresql+asyncpg://");
  }
  if (forced) return { driver: forced, url: normalised };
  const host = new URL(normalised).hostname;
  return { driver: NEON_HOST.test(host) ? "neon" : "pg", url: normalised };
}
