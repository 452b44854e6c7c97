import type { NextConfig } from "next";
import { securityHeaders } from "./lib/ui/security-headers";

const nextConfig: NextConfig = {
  // PGlite loads its WASM/data files by URL; bundling breaks that, so keep it external.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "nodemailer"],
  poweredByHeader: false,
  reactStrictMode: true,
  // CSP (what ChatKit needs from OpenAI, nothing more), framing and referrer policies.
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders({ dev: process.env.NODE_ENV === "development" }) }];
  },
};

export default nextConfig;
