import type { NextConfig } from "next";
import { securityHeaders } from "./lib/csp/security-headers";

const nextConfig: NextConfig = {
  // PGlite loads its WASM/data files by URL; bundling breaks that, so keep it external.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "nodemailer"],
  // The embedded database is for `npm run dev` only (production needs DATABASE_URL, and a function's
  // filesystem is read-only), so its ~30 MB of WASM and data stay out of every traced function unless
  // it is chosen on purpose. `next start` and `next dev` read node_modules directly and are unaffected.
  outputFileTracingExcludes:
    process.env.DATABASE_DRIVER === "pglite" ? {} : { "*": ["node_modules/@electric-sql/pglite/**"] },
  poweredByHeader: false,
  reactStrictMode: true,
  // Framing, referrer and transport policies for every response, and a CSP under which no script
  // runs; proxy.ts replaces that CSP on pages with one that carries the request's nonce.
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders() }];
  },
};

export default nextConfig;
