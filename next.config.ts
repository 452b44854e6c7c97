import type { NextConfig } from "next";
import { securityHeaders } from "./lib/ui/security-headers";

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
  // CSP (what ChatKit needs from OpenAI, nothing more), framing and referrer policies.
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders({ dev: process.env.NODE_ENV === "development" }) }];
  },
};

export default nextConfig;
