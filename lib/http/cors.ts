/** CORS for the API: our own base URL (and on Vercel this deployment's hosts), ALLOWED_ORIGIN_REGEX, localhost in development. */
import { getEnv } from "@/lib/env";

const LOCALHOST = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export function isAllowedOrigin(origin: string): boolean {
  const env = getEnv();
  if (env.allowedOrigins.includes(origin)) return true;
  if (env.allowedOriginRegex?.test(origin)) return true;
  if (!env.isProduction && LOCALHOST.test(origin)) return true;
  return false;
}

function corsHeaders(origin: string): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Credentials": "true",
    Vary: "Origin",
  };
}

export function withCors(request: Request, response: Response): Response {
  const origin = request.headers.get("origin");
  if (!origin || !isAllowedOrigin(origin)) return response;
  try {
    for (const [key, value] of Object.entries(corsHeaders(origin))) response.headers.set(key, value);
  } catch {
    // Some responses (e.g. from fetch) have immutable headers; copy them.
    const headers = new Headers(response.headers);
    for (const [key, value] of Object.entries(corsHeaders(origin))) headers.set(key, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  return response;
}

/** The answer to an OPTIONS preflight. Disallowed origins get 204 without CORS headers. */
export function preflight(request: Request): Response {
  const origin = request.headers.get("origin");
  if (!origin || !isAllowedOrigin(origin)) return new Response(null, { status: 204 });
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(origin),
      "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
      "Access-Control-Allow-Headers":
        request.headers.get("access-control-request-headers") ?? "Authorization, Content-Type",
      "Access-Control-Max-Age": "600",
    },
  });
}
