import { handleChatKitRequest } from "@/lib/assistant/handle-request";
import { preflight, route } from "@/lib/http";
import { refuseWrongMethods } from "@/lib/http/method-guard";
import { allowedMethods } from "@/lib/openapi/allowed-methods";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
/** Seconds a turn may stream on Vercel; the turn deadline (CHATKIT_TURN_DEADLINE_SECONDS, 280) ends it first. */
export const maxDuration = 300;

export const POST = route(handleChatKitRequest);
// Wrapped in route() here, where proxy.ts does not run, so the answer carries x-request-id.
export const OPTIONS = route(preflight);

// proxy.ts skips this path (its cost per request), so the JSON 405 for other methods is answered here.
const refuse = refuseWrongMethods("/chatkit", allowedMethods);
export const GET = refuse;
export const PUT = refuse;
export const PATCH = refuse;
export const DELETE = refuse;
