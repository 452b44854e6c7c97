/** Account: the signed-in user's own account (overview, password, sessions, export, deletion) and billing portal. */
import { AUTH_BODY_LIMIT } from "@/lib/http/body-limits";
import { failure, json, requestExample, responseExample, type Operation } from "../spec";
import { authed, ISO, jsonBody, ok, rateLimited, USER_ID } from "./shared";

const TAG = "Account";
const tooManyAttempts = rateLimited("Too many attempts. Please wait a moment and try again.");

export const ACCOUNT_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/account",
    tag: TAG,
    operationId: "accountOverview",
    summary: "The caller's account",
    description:
      "Email, creation time and how the account signs in: `password` when it has one, and each linked Google or " +
      "Apple identity. Never cached.",
    auth: "user",
    responses: {
      "200": ok(
        "The account overview.",
        "AccountOverview",
        responseExample("AccountOverview", {
          id: USER_ID,
          email: "ada@example.com",
          created_at: ISO,
          email_verified: true,
          has_password: true,
          sign_in_methods: ["password", "google"],
          linked_accounts: [{ provider: "google", email: "ada@example.com", linked_at: ISO }],
        }),
      ),
      ...authed,
    },
  },
  {
    method: "post",
    path: "/api/account/password",
    tag: TAG,
    operationId: "changePassword",
    summary: "Change the password",
    description:
      "Needs the current password; the new one follows the sign-up rules (8 to 256 characters). Every other " +
      "session and bearer token of the account stops working at once; the caller keeps working: the answer carries " +
      "a fresh access token and, when the call came with the session cookie, a new session cookie (`Set-Cookie`). " +
      'Outstanding reset links are spent and a "your password was changed" email is queued. Accounts without a ' +
      "password (Google/Apple only) set one through `POST /api/auth/forgot-password` instead. Rate limited like sign-in.",
    auth: "user",
    requestBody: {
      required: true,
      content: json(
        requestExample("ChangePasswordRequest", {
          current_password: "correct horse battery",
          new_password: "a longer passphrase",
        }),
      ),
    },
    responses: {
      "200": {
        ...ok(
          "Changed. Use the new token from now on.",
          "TokenResponse",
          responseExample("TokenResponse", {
            access_token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2ZjFjMmI5ZSJ9.c2lnbmF0dXJl",
            token_type: "bearer",
            user: { id: USER_ID, email: "ada@example.com", email_verified: true, created_at: ISO, updated_at: ISO },
          }),
        ),
        headers: {
          "Set-Cookie": {
            description: "This browser's new session cookie (only when the request carried the session cookie).",
            schema: { type: "string" },
          },
        },
      },
      ...jsonBody(AUTH_BODY_LIMIT, "new_password", "Password must be at least 8 characters"),
      "403": failure("The current password is wrong; nothing changed.", {
        detail: "The current password is not correct.",
        code: "invalid_password",
      }),
      "409": failure(
        "The account has no password to change, or it changed while this request ran.",
        {
          detail: "This account has no password yet. Set one through the link we email you (Forgot password?).",
          code: "no_password",
        },
        { detail: "The password was changed meanwhile. Reload and try again.", code: "password_changed" },
      ),
      "429": tooManyAttempts,
      ...authed,
    },
  },
  {
    method: "post",
    path: "/api/account/sign-out-everywhere",
    tag: TAG,
    operationId: "signOutEverywhere",
    summary: "Sign out everywhere",
    description:
      "Ends every browser session and bearer token of the account at once, the caller's included, and clears the " +
      "session cookie. The password is unchanged: signing in again works.",
    auth: "user",
    responses: {
      "204": { description: "Every session and token has ended." },
      ...authed,
    },
  },
  {
    method: "get",
    path: "/api/account/export",
    tag: TAG,
    operationId: "exportAccount",
    summary: "Download all of the caller's data",
    description:
      "One JSON document, streamed (a large account never has to fit in memory) and offered as a download " +
      "(`Content-Disposition: attachment`): `profile` (email, dates, sign-in methods, linked identities, Stripe " +
      "customer id, memory vector store id), `facts` (pending, saved and discarded, with whether each was copied " +
      "to memory), `threads` (each with its `items` in order), `feedback`, `attachments` (metadata and stored size, " +
      "never the bytes), `micro_agents` (every subscription, cancelled ones included, with its Stripe ids, " +
      "dates and `history`: the Stripe events applied to it), `hosted_chat_sessions` and `sign_in_sessions` (when each " +
      "browser sign-in started and ended). Nothing of any other user. Never cached.",
    auth: "user",
    responses: {
      "200": {
        description: "The export document.",
        headers: {
          "Content-Disposition": {
            description: 'attachment; filename="facts-chat-export-YYYY-MM-DD.json"',
            schema: { type: "string" },
          },
        },
        content: json({
          schema: {
            type: "object",
            required: [
              "format",
              "version",
              "exported_at",
              "profile",
              "facts",
              "threads",
              "feedback",
              "attachments",
              "micro_agents",
              "hosted_chat_sessions",
              "sign_in_sessions",
            ],
            properties: {
              format: { const: "facts-chat-export" },
              version: { const: 1 },
              exported_at: { type: "string", format: "date-time" },
              profile: { type: "object" },
              facts: { type: "array", items: { type: "object" } },
              threads: { type: "array", items: { type: "object" } },
              feedback: { type: "array", items: { type: "object" } },
              attachments: { type: "array", items: { type: "object" } },
              micro_agents: { type: "array", items: { type: "object" } },
              hosted_chat_sessions: { type: "array", items: { type: "object" } },
              sign_in_sessions: { type: "array", items: { type: "object" } },
            },
          },
          example: {
            format: "facts-chat-export",
            version: 1,
            exported_at: ISO,
            profile: { id: USER_ID, email: "ada@example.com", created_at: ISO, sign_in_methods: ["password"] },
            facts: [{ id: "fact_3f9a1c0e5b7d42a8c1e09b6d7f3a2c51", text: "User likes tea", status: "saved" }],
            threads: [{ id: "thr_1a2b3c4d", created_at: ISO, metadata: { title: "Tea" }, items: [] }],
            feedback: [],
            attachments: [],
            micro_agents: [],
            hosted_chat_sessions: [],
            sign_in_sessions: [{ created_at: ISO, revoked_at: null }],
          },
        }),
      },
      ...authed,
    },
  },
  {
    method: "post",
    path: "/api/account/delete",
    tag: TAG,
    operationId: "deleteAccount",
    summary: "Delete the caller's account",
    description:
      "Confirmed by the current password, or, for an account without one (Google/Apple only), by typing its email " +
      "address. From the answer on, no token, session or password reaches the account, and every row of it is gone " +
      "(facts, threads, items, attachments and their bytes, feedback, sessions, linked identities, micro-agents, " +
      "rate-limit counters, queued emails, reset and verification links, the vector-store record). Its Stripe " +
      "subscriptions are cancelled and customer removed, and its OpenAI vector store and files deleted, by a " +
      "clean-up recorded with the deletion and retried until done: an outage there never blocks the deletion. The " +
      "address may sign up again as a new, empty account. Rate limited like sign-in. Clears the session cookie.",
    auth: "user",
    requestBody: {
      required: true,
      content: json(requestExample("DeleteAccountRequest", { password: "correct horse battery" })),
    },
    responses: {
      "204": { description: "Deleted." },
      ...jsonBody(AUTH_BODY_LIMIT, "password", "Password is required"),
      "400": failure(
        "The wrong kind of confirmation for this account, or the body is not JSON.",
        { detail: "This account has a password: confirm with it.", code: "password_required" },
        { detail: "This account has no password: confirm by typing its email address.", code: "email_required" },
        { detail: "Request body is not valid JSON", code: "invalid_json" },
      ),
      "403": failure(
        "The confirmation does not match; nothing was deleted.",
        { detail: "The password is not correct.", code: "invalid_password" },
        { detail: "That is not this account's email address.", code: "email_mismatch" },
      ),
      "429": tooManyAttempts,
      ...authed,
    },
  },
  {
    method: "post",
    path: "/api/billing/portal",
    tag: TAG,
    operationId: "billingPortal",
    summary: "Open Stripe's customer portal",
    description:
      "A portal session for the caller's own Stripe customer (created on first use, as at checkout), where payment " +
      "methods, invoices and subscriptions are managed. Its return link goes to the dashboard. Changes made there " +
      "reach the app through the Stripe webhook.",
    auth: "user",
    responses: {
      "200": ok(
        "Where to send the user.",
        "BillingPortal",
        responseExample("BillingPortal", { url: "https://billing.stripe.com/p/session/test_YWNjdF8x" }),
      ),
      ...authed,
      "500": failure("Stripe is not configured on this server.", {
        detail: "Stripe secret key is not configured",
        code: "not_configured",
      }),
      "502": failure(
        "Stripe refused, or did not respond (then `stripe_unavailable` with Retry-After: try again).",
        { detail: "Stripe error", code: "stripe_error" },
        {
          detail:
            "Our payment provider (Stripe) did not respond just now. Nothing was changed; please try again in a moment.",
          code: "stripe_unavailable",
        },
      ),
    },
  },
];
