import { getCatalogue, toCatalogueResponse } from "@/lib/billing/catalogue";
import { json, preflight, route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Public: what can be subscribed to, read from Stripe (briefly cached; last known when Stripe is down). */
export const GET = route(async () => {
  const answer = await getCatalogue();
  return json(toCatalogueResponse(answer), {
    headers: { "Cache-Control": answer.stale ? "no-store" : "public, max-age=60" },
  });
});

export const OPTIONS = preflight;
