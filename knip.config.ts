/**
 * The unused-code check (`npm run lint` runs it after ESLint). Conservative on purpose: it
 * fails on files nothing reaches, dependencies nothing imports, and imports of packages not
 * in package.json; it does not judge single exports, because library modules (lib/chatkit,
 * lib/chatkit-client) export more than this app uses and work in progress exports before use.
 * Next, Vitest, Playwright and Drizzle entry points come from knip's plugins; the rest are
 * listed below.
 */
import type { KnipConfig } from "knip";

const config: KnipConfig = {
  entry: [
    // Command-line scripts and the runners' helpers named in config strings.
    "scripts/*.{ts,mjs}",
    // The benchmark's yardstick servers and database proxy, started by path from scripts/bench.ts.
    "scripts/bench/*.ts",
    "e2e/support/{start-fakes,prepare-e2e-db}.ts",
    "e2e/fakes/*/server.ts",
    // Public entry points of the two protocol libraries.
    "lib/chatkit/index.ts",
    "lib/chatkit-client/index.ts",
  ],
  project: ["**/*.{ts,tsx,mjs,css}"],
  include: ["files", "dependencies", "devDependencies", "unlisted", "unresolved", "binaries"],
  // The web component's option types ship in @openai/chatkit, the dependency of
  // @openai/chatkit-react that the browser loads; we import its types only.
  ignoreDependencies: ["@openai/chatkit"],
  // The HTTPS e2e origin makes its throwaway certificate with the system's openssl (node:crypto cannot).
  ignoreBinaries: ["openssl"],
};

export default config;
