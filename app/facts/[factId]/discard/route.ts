import { factDecisionRoute } from "../decision";
import { preflight } from "@/lib/http";

export const POST = factDecisionRoute("discarded");
export const OPTIONS = preflight;
