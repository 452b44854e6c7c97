import { accountOverview } from "@/lib/account/overview";
import { requireUser } from "@/lib/auth/require-user";
import { json, preflight, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const user = await requireUser(request);
  return json(await accountOverview(user.id), { headers: { "Cache-Control": "no-store" } });
});

export const OPTIONS = preflight;
