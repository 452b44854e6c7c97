/**
 * The unused-code check (`npm run lint` runs it after ESLint): it fails on files nothing
 * reaches, dependencies nothing imports, imports of packages not in package.json, and exports
 * (values and types) nothing imports. An export used in its own file counts as used (a module's
 * documented surface, e.g. a constant its tests read); the two protocol libraries' public entry
 * points (lib/chatkit, lib/chatkit-client) may export what this app does not use. Duplicate
 * exports are not checked: lib/chatkit/types.ts mirrors the protocol's aliases (WidgetRoot).
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
  include: [
    "files",
    "dependencies",
    "devDependencies",
    "unlisted",
    "unresolved",
    "binaries",
    "exports",
    "nsExports",
    "types",
  ],
  ignoreExportsUsedInFile: true,
  // The web component's option types ship in @openai/chatkit, the dependency of
  // @openai/chatkit-react that the browser loads; we import its types only.
  ignoreDependencies: ["@openai/chatkit"],
  // The HTTPS e2e origin makes its throwaway certificate with the system's openssl (node:crypto cannot).
  ignoreBinaries: ["openssl"],
};

export default config;
