/**
 * Security headers for every response (wired in next.config.ts). The Content-Security-Policy
 * allows exactly what the ChatKit web component needs from OpenAI: its script and its iframe
 * from the ChatKit CDN, and calls to the API (hosted mode). Everything else stays same-origin.
 *
 * 'unsafe-inline' scripts: Next's streamed RSC payload and the pre-paint theme script are
 * inline; nonces would force every page to render per request. Development adds what hot
 * reloading needs ('unsafe-eval', websockets).
 */
export const CHATKIT_CDN = "https://cdn.platform.openai.com";
export const OPENAI_API = "https://api.openai.com";

export function contentSecurityPolicy({ dev }: { dev: boolean }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", CHATKIT_CDN, ...(dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", CHATKIT_CDN, OPENAI_API, ...(dev ? ["ws:", "wss:"] : [])],
    "frame-src": [CHATKIT_CDN],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

export function securityHeaders({ dev }: { dev: boolean }): { key: string; value: string }[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy({ dev }) },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin-allow-popups" },
    // Browsers ignore it over plain http (local development), and keep to https once deployed.
    { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  ];
}
