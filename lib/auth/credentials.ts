/** The shapes of what users type: normalised email addresses and acceptable passwords. */
import { z } from "zod";

/** Emails are trimmed and lower-cased before any use (lookup, storage, rate-limit buckets). */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

// 254 is the longest address SMTP can deliver; anything longer is refused before touching the database.
export const emailSchema = z
  .string()
  .max(320, "Email is too long")
  .transform(normalizeEmail)
  .pipe(z.email("Enter a valid email address").max(254, "Email is too long"))
  .meta({
    description: "A valid email address (at most 254 characters once trimmed); trimmed and lower-cased before use.",
  });

export const newPasswordSchema = z
  .string()
  .min(8, "Password must be at least 8 characters")
  .max(256, "Password must be at most 256 characters");

/** Login accepts any non-empty password up to the maximum: old accounts may predate today's rules. */
export const loginPasswordSchema = z.string().min(1, "Password is required").max(256, "Password is too long");

export const signupSchema = z.object({ email: emailSchema, password: newPasswordSchema });
export const loginSchema = z.object({ email: emailSchema, password: loginPasswordSchema });
export const forgotPasswordSchema = z.object({ email: emailSchema });
export const resetPasswordSchema = z.object({
  token: z.string().min(1, "Token is required").max(512, "Token is too long"),
  password: newPasswordSchema,
});
export const verifyEmailSchema = z.object({
  token: z.string().min(1, "Token is required").max(512, "Token is too long"),
});
