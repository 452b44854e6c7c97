import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["{app,lib,db,e2e}/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["node_modules", ".next", "e2e/**/*.spec.ts"],
    environment: "node",
    globalSetup: ["./e2e/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: { NODE_ENV: "test", BCRYPT_COST: "4", NEXT_TELEMETRY_DISABLED: "1" },
  },
});
