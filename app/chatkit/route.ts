import { handleChatKitRequest } from "@/lib/assistant/handle-request";
import { preflight, route } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(handleChatKitRequest);
export const OPTIONS = preflight;
