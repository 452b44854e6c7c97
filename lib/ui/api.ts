/**
 * Browser-side calls to our own API: every request carries the session cookie, and a 401
 * (the session expired or was revoked) sends the person back to sign-in instead of leaving
 * a broken page behind.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Fetch = typeof fetch;

export function signInUrl(returnTo: string): string {
  return `/login?callbackUrl=${encodeURIComponent(returnTo)}`;
}

let redirecting = false;

/** The session is gone: off to sign-in (once, however many requests noticed), then back. */
export function redirectToSignIn(returnTo: string): void {
  if (redirecting) return;
  redirecting = true;
  window.location.assign(signInUrl(returnTo));
}

/**
 * Signing out on purpose: requests still in flight answer 401 once the session cookie is gone,
 * and their trip to sign-in (with this page as the way back) must not race the sign-out's own
 * navigation, which would then land wherever the last of them pointed. Returns the undo, for a
 * sign-out that failed.
 */
export function holdSignInRedirects(): () => void {
  const held = !redirecting;
  redirecting = true;
  return () => {
    if (held) redirecting = false;
  };
}

/** A fetch that sends credentials and calls `onUnauthorized` on any 401 answer. */
export function createAuthedFetch(onUnauthorized: () => void, baseFetch: Fetch = (...args) => fetch(...args)): Fetch {
  return async (input, init) => {
    // Our write endpoints take JSON only (a text/plain body is what a cross-site form could send).
    const headers = new Headers(init?.headers);
    if (typeof init?.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
    const response = await baseFetch(input, { ...init, headers, credentials: "include" });
    if (response.status === 401) onUnauthorized();
    return response;
  };
}

/** The contract's `{detail}` from an error answer, or a fallback a person can read. */
export async function errorDetail(response: Response, fallback: string): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === "object" && "detail" in body && typeof body.detail === "string" && body.detail) {
      return body.detail;
    }
  } catch {
    // Not JSON (a proxy's error page, an aborted body): use the fallback.
  }
  return fallback;
}
