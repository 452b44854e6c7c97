/** The public view of a user (UserRead) and the TokenResponse that login and signup answer. */
import "server-only";
import { z } from "zod";
import type { User } from "@/db/schema";
import { issueAccessToken } from "./access-token";

export const userReadSchema = z.object({
  id: z.uuid(),
  email: z.string().meta({ examples: ["ada@example.com"] }),
  email_verified: z.boolean().meta({
    description:
      "Whether the owner proved the address (verification link, reset link, or a Google/Apple identity). " +
      "Unverified accounts work, but are never merged with a Google/Apple sign-in.",
  }),
  created_at: z.string().meta({ description: "ISO-8601 UTC timestamp." }),
  updated_at: z.string().meta({ description: "ISO-8601 UTC timestamp." }),
});
export const tokenResponseSchema = z.object({
  access_token: z.string().meta({ description: "HS256 JWT; send it as `Authorization: Bearer <access_token>`." }),
  token_type: z.literal("bearer"),
  user: userReadSchema,
});
export type UserRead = z.infer<typeof userReadSchema>;
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** Never includes the password hash or token version: only these fields leave the server. */
export function toUserRead(user: Pick<User, "id" | "email" | "emailVerifiedAt" | "createdAt" | "updatedAt">): UserRead {
  return {
    id: user.id,
    email: user.email,
    email_verified: user.emailVerifiedAt !== null,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

export async function tokenResponse(user: User): Promise<TokenResponse> {
  return { access_token: await issueAccessToken(user), token_type: "bearer", user: toUserRead(user) };
}
