import { findUserById } from "@/lib/auth/accounts";
import { requireUser } from "@/lib/auth/require-user";
import { toUserRead } from "@/lib/auth/user-read";
import { json, preflight, route, unauthorized } from "@/lib/http";

export const GET = route(async (request) => {
  const caller = await requireUser(request);
  const user = await findUserById(caller.id);
  if (!user) throw unauthorized();
  return json(toUserRead(user));
});

export const OPTIONS = preflight;
