import { factDecisionRoute } from "../decision";
import { preflight } from "@/lib/http";

export const POST = factDecisionRoute("saved");
export const OPTIONS = preflight;
