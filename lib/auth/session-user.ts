/** The signed-in browser user (session cookie only; bearer tokens are deliberately not enough). */
import "server-only";
import type { User } from "@/db/schema";
import { unauthorized } from "@/lib/http";
import { findUserById } from "./accounts";
import { currentSessionUser } from "./require-user";

export async function requireSessionUser(request: Request): Promise<User> {
  const caller = await currentSessionUser(request);
  const user = caller ? await findUserById(caller.id) : null;
  if (!user) throw unauthorized();
  return user;
}
