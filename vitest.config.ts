import path from "node:path";
import { defineConfig } from "vitest/config";

// Vitest 5's reporter calls Map.groupBy, which Node 20 lacks: without this, failures crash the summary.
if (typeof (Map as unknown as { groupBy?: unknown }).groupBy !== "function") {
  Object.defineProperty(Map, "groupBy", {
    value<K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> {
      const out = new Map<K, V[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const list = out.get(k);
        if (list) list.push(item);
        else out.set(k, [item]);
      }
      return out;
    },
  });
}

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Outside Next's server bundles "server-only" throws on import; tests run server code in Node.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["{app,lib,db,e2e}/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["node_modules", ".next", "e2e/**/*.spec.ts"],
    environment: "node",
    globalSetup: ["./e2e/support/global-setup.ts"],
    allowOnly: false, // a stray .only would silently skip the rest of the suite
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Per-user quotas far above what any test uses; the quota tests set their own.
    env: {
      NODE_ENV: "test",
      BCRYPT_COST: "4",
      NEXT_TELEMETRY_DISABLED: "1",
      MODEL_TURNS_PER_MINUTE: "10000",
      UPLOADS_PER_MINUTE: "10000",
    },
  },
});
