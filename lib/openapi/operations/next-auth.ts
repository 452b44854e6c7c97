/** Auth (next-auth): next-auth's own routes (the `[...nextauth]` catch-all), outside our error contract. */
import { json, pathParam, type Answer, type Operation } from "../spec";
import { ISO, USER_ID } from "./shared";

/**
 * Where the `[...nextauth]` catch-all lives: it serves every path below this that no route of ours
 * does, with the methods of the operations below (../routes.test.ts checks both).
 */
export const NEXT_AUTH_PREFIX = "/api/auth/";

/** next-auth's own routes (the `[...nextauth]` catch-all): browser sign-in plumbing, outside our error contract. */
export function nextAuthOperations(): Operation[] {
  const base = { tag: "Auth (next-auth)", auth: "none" as const, external: "next-auth" as const };
  const form = (properties: Record<string, unknown>, required: string[]) => ({
    required: true,
    content: { "application/x-www-form-urlencoded": { schema: { type: "object", properties, required } } },
  });
  const redirect: Answer = {
    description: "A redirect (next-auth answers errors by redirecting to `/login?error=…`).",
    headers: { Location: { description: "Where the browser goes next." } },
  };
  const csrf = { type: "string", description: "From `GET /api/auth/csrf`." };
  const provider = pathParam("provider", "`credentials`, `google` or `apple`.", {
    type: "string",
    enum: ["credentials", "google", "apple"],
  });
  return [
    {
      ...base,
      method: "get",
      path: "/api/auth/session",
      operationId: "nextAuthSession",
      summary: "The browser session",
      responses: {
        "200": {
          description: "`{}` when signed out.",
          content: json({
            schema: {
              type: "object",
              properties: {
                user: { type: "object", properties: { id: { type: "string" }, email: { type: ["string", "null"] } } },
                expires: { type: "string" },
              },
            },
            example: { user: { id: USER_ID, email: "ada@example.com" }, expires: ISO },
          }),
        },
      },
    },
    {
      ...base,
      method: "get",
      path: "/api/auth/csrf",
      operationId: "nextAuthCsrf",
      summary: "CSRF token for the sign-in and sign-out forms",
      responses: {
        "200": {
          description: "The token (its hash is in a cookie).",
          content: json({
            schema: { type: "object", properties: { csrfToken: { type: "string" } }, required: ["csrfToken"] },
          }),
        },
      },
    },
    {
      ...base,
      method: "get",
      path: "/api/auth/providers",
      operationId: "nextAuthProviders",
      summary: "Configured sign-in providers",
      responses: {
        "200": {
          description: "Provider id → `{id, name, type, signinUrl, callbackUrl}`.",
          content: json({ schema: { type: "object", additionalProperties: { type: "object" } } }),
        },
      },
    },
    {
      ...base,
      method: "post",
      path: "/api/auth/signin/{provider}",
      operationId: "nextAuthSignIn",
      summary: "Start an OAuth sign-in (form post)",
      description: "What `GET /api/auth/oauth/{provider}` does in one step without a form.",
      parameters: [provider],
      requestBody: form({ csrfToken: csrf, callbackUrl: { type: "string" } }, ["csrfToken"]),
      responses: { "302": redirect },
    },
    {
      ...base,
      method: "get",
      path: "/api/auth/callback/{provider}",
      operationId: "nextAuthCallback",
      summary: "OAuth callback",
      description: "The provider returns here; on success the session cookie is set.",
      parameters: [provider],
      responses: { "302": redirect },
    },
    {
      ...base,
      method: "post",
      path: "/api/auth/callback/{provider}",
      operationId: "nextAuthCallbackPost",
      summary: "Credentials sign-in, and Apple's form_post callback",
      description: "With `credentials`: email and password from the sign-in form; sets the session cookie.",
      parameters: [provider],
      requestBody: form(
        { csrfToken: csrf, email: { type: "string" }, password: { type: "string" }, callbackUrl: { type: "string" } },
        ["csrfToken"],
      ),
      responses: { "302": redirect, "200": { description: "With `json=true`: `{url}` to navigate to." } },
    },
    {
      ...base,
      method: "post",
      path: "/api/auth/signout",
      operationId: "nextAuthSignOut",
      summary: "Sign out",
      requestBody: form({ csrfToken: csrf, callbackUrl: { type: "string" } }, ["csrfToken"]),
      responses: { "302": redirect, "200": { description: "With `json=true`: `{url}` to navigate to." } },
    },
  ];
}
