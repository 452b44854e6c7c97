/**
 * Phase 2 of a two-phase upload (the URL `attachments.create` handed out) and reading an
 * attachment back. Both are per user: another user's attachment id is "not found".
 */
import "server-only";
import { getDb } from "@/db/client";
import { NotFoundError } from "@/lib/chatkit/errors";
import { clientAttachmentJson } from "@/lib/chatkit/serialize";
import { getEnv } from "@/lib/env";
import {
  badRequest,
  conflict,
  notFound,
  payloadTooLarge,
  readBytes as readBody,
  tooManyRequests,
  unsupportedMediaType,
} from "@/lib/http";
import { consumeUpload } from "@/lib/rate-limit/quota";
import { chatStore } from "./store";

const ID = /^atc_[0-9a-f]{8,32}$/;

async function readUpload(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit + 64 * 1024) throw payloadTooLarge(limit);
  const contentType = request.headers.get("content-type") ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw badRequest("The upload is not valid multipart form data.", "invalid_upload");
    }
    const file = form.get("file");
    if (!file || typeof file === "string")
      throw badRequest('The upload needs a file field named "file".', "invalid_upload");
    if (file.size > limit) throw payloadTooLarge(limit);
    return new Uint8Array(await file.arrayBuffer());
  }
  return readBody(request, limit);
}

export async function storeUpload(userId: string, attachmentId: string, request: Request): Promise<Response> {
  if (!ID.test(attachmentId)) throw notFound("Attachment not found");
  const ctx = { userId };
  const existing = await chatStore.loadAttachment(attachmentId, ctx).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw notFound("Attachment not found");
    throw err;
  });
  if (!existing.upload_descriptor) throw conflict("This attachment was already uploaded.", "already_uploaded");
  const quota = await consumeUpload(await getDb(), userId);
  if (!quota.allowed) throw tooManyRequests(quota.retryAfterSeconds, quota.message);
  const bytes = await readUpload(request, getEnv().chatkit.attachmentMaxBytes);
  if (bytes.byteLength === 0) throw badRequest("The upload is empty.", "invalid_upload");
  const stored = await chatStore.putAttachmentBytes(attachmentId, bytes, ctx);
  return new Response(clientAttachmentJson(stored), { status: 200, headers: { "content-type": "application/json" } });
}

export async function readAttachment(userId: string, attachmentId: string): Promise<Response> {
  if (!ID.test(attachmentId)) throw notFound("Attachment not found");
  const found = await chatStore.getAttachmentBytes(attachmentId, { userId }).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw notFound("Attachment not found");
    throw err;
  });
  if (!found.bytes) throw notFound("Attachment not uploaded yet");
  const inline = found.mimeType.startsWith("image/");
  if (!inline && !found.mimeType) throw unsupportedMediaType("Unknown attachment type");
  return new Response(Buffer.from(found.bytes), {
    headers: {
      "content-type": found.mimeType,
      "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(found.name)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=300",
    },
  });
}
