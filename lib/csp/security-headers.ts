/**
 * Security headers (this folder holds every Content-Security-Policy of the app). Two policies:
 *
 * - Pages get a per-request policy from proxy.ts (page-csp.ts): scripts run only with
 *   that request's nonce, or when a nonce'd script adds them ('strict-dynamic'). Next puts the
 *   nonce on its own scripts (it reads it from the request's CSP header); the root layout puts it
 *   on the pre-paint theme script. The ChatKit web component's script is added by our bundle
 *   (lib/ui/load-script.ts), so 'strict-dynamic' lets it run; its iframe and API calls are
 *   allowed by host. No 'unsafe-inline' for scripts: an injected inline script has no nonce.
 *   Styles keep 'unsafe-inline': React's `style` attributes and the ChatKit element's inline
 *   styles cannot carry a nonce. Development adds what hot reloading needs ('unsafe-eval', websockets).
 * - Every other response (API JSON, static files; wired in next.config.ts for every path, and
 *   replaced on pages by the one above) gets a policy under which no script runs.
 */
export const CHATKIT_CDN = "https://cdn.platform.openai.com";
export const OPENAI_API = "https://api.openai.com";

/** The request header that hands the nonce from proxy.ts to the root layout. */
export const NONCE_HEADER = "x-nonce";

type Directives = Record<string, string[]>;

function serialize(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

/** 128 random bits, base64: a fresh one for every page request. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export function pageContentSecurityPolicy({ nonce, dev }: { nonce: string; dev: boolean }): string {
  return serialize({
    "default-src": ["'self'"],
    // 'self' and the CDN only matter to browsers without 'strict-dynamic' (CSP2); CSP3 ignores them.
    "script-src": [`'nonce-${nonce}'`, "'strict-dynamic'", "'self'", CHATKIT_CDN, ...(dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", CHATKIT_CDN, OPENAI_API, ...(dev ? ["ws:", "wss:"] : [])],
    "frame-src": [CHATKIT_CDN],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
  });
}

/**
 * For responses that are not pages: no script runs. Styles, images and same-origin forms stay
 * allowed for the few HTML answers that are not ours (next-auth's sign-out confirmation).
 */
export function contentSecurityPolicy(): string {
  return serialize({
    "default-src": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
  });
}

export function securityHeaders(): { key: string; value: string }[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy() },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin-allow-popups" },
    // Browsers ignore it over plain http (local development), and keep to https once deployed.
    { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  ];
}
