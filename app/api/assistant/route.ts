import { assistantStatus } from "@/lib/assistant/status";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Whether the assistant has a model (GET /api/assistant); no secret is in the answer. */
export const GET = route(() => json(assistantStatus(), { headers: { "Cache-Control": "no-store" } }));
