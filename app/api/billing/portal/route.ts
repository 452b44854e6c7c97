import { requireUser } from "@/lib/auth/require-user";
import { openBillingPortal } from "@/lib/billing/portal";
import { json, linkBaseUrl, preflight, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const user = await requireUser(request);
  return json(await openBillingPortal(user.id, linkBaseUrl(request)));
});

export const OPTIONS = preflight;
