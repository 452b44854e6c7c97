/** The ChatKit store our assistant uses: threads, items and attachments in Postgres. */
import { randomBytes } from "node:crypto";
import { PostgresChatKitStore, type ChatKitContext } from "@/db/chatkit-store";

/** Longer ids than the protocol's default 8 hex for thread and attachment ids, which are unique across all users. */
export function wideId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
}

class AssistantStore extends PostgresChatKitStore {
  override generateThreadId(_context: ChatKitContext): string {
    return wideId("thr");
  }
}

export const chatStore = new AssistantStore();
