import { handleChatKitRequest } from "@/lib/assistant/handle-request";
import { preflight, route } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
/** Seconds a turn may stream on Vercel; the turn deadline (CHATKIT_TURN_DEADLINE_SECONDS, 280) ends it first. */
export const maxDuration = 300;

export const POST = route(handleChatKitRequest);
export const OPTIONS = preflight;
