/**
 * Two-phase uploads for ChatKit attachments: `attachments.create` returns a descriptor that
 * points at our own authenticated upload route; the bytes live in Postgres up to a size limit.
 */
import "server-only";
import { ChatKitRequestError } from "@/lib/chatkit/errors";
import type { AttachmentStore } from "@/lib/chatkit/store";
import type { Attachment, AttachmentCreateParams } from "@/lib/chatkit/types";
import { getEnv } from "@/lib/env";
import type { AssistantContext } from "./context";
import { wideId } from "./store";

export const ALLOWED_MIME_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "text/plain",
  "text/markdown",
  "text/csv",
  "application/json",
]);

export function attachmentUrls(baseUrl: string, id: string) {
  const root = `${baseUrl}/chatkit/attachments/${encodeURIComponent(id)}`;
  return { upload: `${root}/upload`, content: `${root}/content` };
}

export class AssistantAttachmentStore implements AttachmentStore<AssistantContext> {
  async createAttachment(input: AttachmentCreateParams, ctx: AssistantContext): Promise<Attachment> {
    const limit = getEnv().chatkit.attachmentMaxBytes;
    const mime = input.mime_type.toLowerCase().split(";")[0]!.trim();
    if (input.size > limit) {
      throw new ChatKitRequestError(413, "attachment_too_large", `Attachments may be at most ${limit} bytes.`);
    }
    if (!ALLOWED_MIME_TYPES.has(mime)) {
      throw new ChatKitRequestError(
        415,
        "attachment_type_not_allowed",
        `Files of type ${mime || "unknown"} cannot be attached.`,
      );
    }
    const name = input.name.trim().slice(0, 255) || "attachment";
    const id = wideId("atc");
    const urls = attachmentUrls(ctx.baseUrl, id);
    const uploadDescriptor = { url: urls.upload, method: "POST" as const, headers: {} };
    return mime.startsWith("image/")
      ? { type: "image", id, name, mime_type: mime, preview_url: urls.content, upload_descriptor: uploadDescriptor }
      : { type: "file", id, name, mime_type: mime, upload_descriptor: uploadDescriptor };
  }

  async deleteAttachment(_attachmentId: string, _ctx: AssistantContext): Promise<void> {
    // The bytes live in the attachment row; the core deletes that row through the Store.
  }
}
