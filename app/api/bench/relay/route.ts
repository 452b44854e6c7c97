import { relayModelStream } from "@/lib/bench/relay";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const POST = route(relayModelStream);
