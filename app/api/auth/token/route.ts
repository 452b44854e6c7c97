import { requireSessionUser } from "@/lib/auth/session-user";
import { tokenResponse } from "@/lib/auth/user-read";
import { json, preflight, route } from "@/lib/http";

/** A signed-in browser trades its session cookie for a bearer access token (TokenResponse). */
export const POST = route(async (request) => {
  const user = await requireSessionUser(request);
  return json(await tokenResponse(user), { headers: { "cache-control": "no-store" } });
});

export const OPTIONS = preflight;
