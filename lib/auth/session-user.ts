/** The signed-in browser user (session cookie only; bearer tokens are deliberately not enough). */
import type { User } from "@/db/schema";
import { unauthorized } from "@/lib/http";
import { findUserById } from "./accounts";
import { readSessionUserId } from "./session-cookie";

export async function requireSessionUser(request: Request): Promise<User> {
  const session = await readSessionUserId(request);
  const user = session ? await findUserById(session.userId) : null;
  if (!user || !session || user.tokenVersion !== (session.tokenVersion ?? 0)) throw unauthorized();
  return user;
}
