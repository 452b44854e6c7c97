import { storeUpload } from "@/lib/assistant/attachment-upload";
import { requireUser } from "@/lib/auth/require-user";
import { preflight, route } from "@/lib/http";

type Params = { params: Promise<{ attachmentId: string }> };

const upload = route<Params>(async (request, { params }) => {
  const user = await requireUser(request);
  return storeUpload(user.id, (await params).attachmentId, request);
});

export const POST = upload;
export const PUT = upload;
export const OPTIONS = preflight;
