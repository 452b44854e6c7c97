import { readAttachment } from "@/lib/assistant/attachment-upload";
import { requireUser } from "@/lib/auth/require-user";
import { route } from "@/lib/http";

type Params = { params: Promise<{ attachmentId: string }> };

export const GET = route<Params>(async (request, { params }) => {
  const user = await requireUser(request);
  return readAttachment(user.id, (await params).attachmentId);
});
