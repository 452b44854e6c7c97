/** Auth: accounts, sign-in and bearer tokens (our JSON routes). */
import { AUTH_BODY_LIMIT } from "@/lib/http/body-limits";
import { failure, json, pathParam, requestExample, responseExample, type Operation } from "../spec";
import { authed, ISO, jsonBody, ok, rateLimited, unavailable, USER_ID } from "./shared";

const userRead = responseExample("UserRead", {
  id: USER_ID,
  email: "ada@example.com",
  email_verified: true,
  created_at: ISO,
  updated_at: ISO,
});
const tokenResponse = responseExample("TokenResponse", {
  access_token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2ZjFjMmI5ZSJ9.c2lnbmF0dXJl",
  token_type: "bearer",
  user: userRead.example as never,
});

export const AUTH_OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/api/auth/signup",
    tag: "Auth",
    operationId: "signup",
    summary: "Create an account",
    description: "Emails are trimmed and lower-cased. Answers a bearer access token for the new account.",
    auth: "none",
    requestBody: {
      required: true,
      content: json(requestExample("SignupRequest", { email: "ada@example.com", password: "correct horse battery" })),
    },
    responses: {
      "201": ok("The account was created.", "TokenResponse", tokenResponse),
      ...jsonBody(AUTH_BODY_LIMIT, "password", "Password must be at least 8 characters"),
      "400": failure(
        "The address already has an account, or the body is not JSON.",
        { detail: "Email already registered", code: "email_taken" },
        { detail: "Request body is not valid JSON", code: "invalid_json" },
      ),
      "429": rateLimited("Too many attempts. Please wait a moment and try again."),
      "503": unavailable,
    },
  },
  {
    method: "post",
    path: "/api/auth/login",
    tag: "Auth",
    operationId: "login",
    summary: "Sign in with email and password",
    description: "Unknown emails and wrong passwords get the same answer in the same time.",
    auth: "none",
    requestBody: {
      required: true,
      content: json(requestExample("LoginRequest", { email: "ada@example.com", password: "correct horse battery" })),
    },
    responses: {
      "200": ok("Signed in.", "TokenResponse", tokenResponse),
      ...jsonBody(AUTH_BODY_LIMIT, "email", "Enter a valid email address"),
      "401": failure("Wrong email or password.", { detail: "Invalid credentials", code: "unauthorized" }),
      "429": rateLimited("Too many attempts. Please wait a moment and try again."),
      "503": unavailable,
    },
  },
  {
    method: "post",
    path: "/api/auth/forgot-password",
    tag: "Auth",
    operationId: "forgotPassword",
    summary: "Ask for a password reset email",
    description:
      "Always 202, whether or not the address has an account. For a known address, queues an email with a link " +
      "`{APP_BASE_URL}/reset-password?token=…` that works once within 1 hour.",
    auth: "none",
    requestBody: {
      required: true,
      content: json(requestExample("ForgotPasswordRequest", { email: "ada@example.com" })),
    },
    responses: {
      "202": { description: "Accepted; empty body." },
      ...jsonBody(AUTH_BODY_LIMIT, "email", "Enter a valid email address"),
      "429": rateLimited("Too many attempts. Please wait a moment and try again."),
      "503": unavailable,
    },
  },
  {
    method: "post",
    path: "/api/auth/reset-password",
    tag: "Auth",
    operationId: "resetPassword",
    summary: "Set a new password with a reset token",
    description:
      "Spends the token (and every other outstanding link of the account) and signs out every existing token and session.",
    auth: "none",
    requestBody: {
      required: true,
      content: json(requestExample("ResetPasswordRequest", { token: "q3Jx…", password: "a new long password" })),
    },
    responses: {
      "204": { description: "The password was changed; empty body." },
      ...jsonBody(AUTH_BODY_LIMIT, "password", "Password must be at least 8 characters"),
      "400": failure(
        "The token is unknown, already used or expired (or the body is not JSON).",
        { detail: "Invalid or expired token", code: "invalid_token" },
        { detail: "Token already used", code: "token_used" },
        { detail: "Token expired", code: "token_expired" },
        { detail: "Request body is not valid JSON", code: "invalid_json" },
      ),
      "429": rateLimited("Too many attempts. Please wait a moment and try again."),
      "503": unavailable,
    },
  },
  {
    method: "post",
    path: "/api/auth/verify-email",
    tag: "Auth",
    operationId: "verifyEmail",
    summary: "Confirm an email address with a verification token",
    description:
      "Signup emails a link `{APP_BASE_URL}/verify-email?token=…` (valid once, for 48 hours). Confirming marks the " +
      "account's address verified (`email_verified` in UserRead) and spends every other outstanding link.",
    auth: "none",
    requestBody: {
      required: true,
      content: json(requestExample("VerifyEmailRequest", { token: "q3Jx…" })),
    },
    responses: {
      "204": { description: "The address is verified; empty body." },
      ...jsonBody(AUTH_BODY_LIMIT, "token", "Token is required"),
      "400": failure(
        "The token is unknown, already used or expired (or the body is not JSON).",
        { detail: "Invalid or expired verification link", code: "invalid_token" },
        { detail: "This verification link was already used", code: "token_used" },
        { detail: "This verification link has expired", code: "token_expired" },
      ),
      "429": rateLimited("Too many attempts. Please wait a moment and try again."),
      "503": unavailable,
    },
  },
  {
    method: "post",
    path: "/api/auth/verify-email/resend",
    tag: "Auth",
    operationId: "resendVerification",
    summary: "Email a new verification link",
    description: "For a signed-in account whose address is not verified yet; at most 3 per hour.",
    auth: "user",
    responses: {
      "202": { description: "A new link was queued; empty body." },
      ...authed,
      "409": failure("The address is already verified.", {
        detail: "This email address is already verified",
        code: "already_verified",
      }),
      "429": rateLimited("Too many verification emails. Please wait before asking for another."),
      "503": unavailable,
    },
  },
  {
    method: "get",
    path: "/api/auth/me",
    tag: "Auth",
    operationId: "me",
    summary: "The signed-in user",
    auth: "user",
    responses: { "200": ok("The caller's account.", "UserRead", userRead), ...authed },
  },
  {
    method: "get",
    path: "/api/auth/oauth/{provider}",
    tag: "Auth",
    operationId: "startOAuth",
    summary: "Start Google or Apple sign-in",
    description:
      "Redirects to the provider's sign-in page and sets next-auth's state/PKCE cookies; the provider returns to " +
      "`/api/auth/callback/{provider}`, which sets the session cookie.",
    auth: "none",
    parameters: [
      pathParam("provider", "`google` or `apple`, when configured.", { type: "string", enum: ["google", "apple"] }),
      {
        name: "callbackUrl",
        in: "query",
        description: "Where to land after sign-in: a same-origin path (anything else falls back to `/chat`).",
        schema: { type: "string", maxLength: 2048, examples: ["/chat"] },
      },
    ],
    responses: {
      "302": {
        description: "To the provider's authorization page.",
        headers: {
          Location: { description: "The provider's authorization URL." },
          "Set-Cookie": { description: "next-auth's state and PKCE cookies." },
        },
      },
      "404": failure("Any other provider, or one that is not configured.", {
        detail: "Unsupported provider",
        code: "unsupported_provider",
      }),
    },
  },
  {
    method: "post",
    path: "/api/auth/token",
    tag: "Auth",
    operationId: "exchangeSessionForToken",
    summary: "Trade the session cookie for a bearer token",
    description:
      "For a signed-in browser that needs to call the API with a bearer token. Bearer tokens themselves are not accepted here.",
    auth: "session",
    responses: {
      "200": ok("A fresh access token for the session's user. Never cached.", "TokenResponse", tokenResponse),
      ...authed,
    },
  },
];
