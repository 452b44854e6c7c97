import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { NONCE_HEADER } from "@/lib/csp/security-headers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Facts Chat",
  description: "A ChatKit assistant that remembers what you tell it about yourself.",
  icons: { icon: "/icon.svg" },
  manifest: "/manifest.webmanifest",
};

// Applied before first paint so the stored theme never flashes the wrong colours.
const themeScript = `(function(){try{var t=localStorage.getItem("theme");if(t!=="light"&&t!=="dark"){t=window.matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}document.documentElement.dataset.theme=t}catch(e){}})();`;

// Reading the request's nonce (set by proxy.ts, see lib/csp/page-csp.ts) makes every page render
// per request: a page built ahead of time could not carry it, and its scripts would be refused.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
