/** The public view of a user (UserRead) and the TokenResponse that login and signup answer. */
import type { User } from "@/db/schema";
import { issueAccessToken } from "./access-token";

export type UserRead = { id: string; email: string; created_at: string; updated_at: string };
export type TokenResponse = { access_token: string; token_type: "bearer"; user: UserRead };

/** Never includes the password hash or token version: only these four fields leave the server. */
export function toUserRead(user: Pick<User, "id" | "email" | "createdAt" | "updatedAt">): UserRead {
  return {
    id: user.id,
    email: user.email,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

export async function tokenResponse(user: User): Promise<TokenResponse> {
  return { access_token: await issueAccessToken(user), token_type: "bearer", user: toUserRead(user) };
}
