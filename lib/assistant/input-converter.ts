/** Thread items → model input, with our handling of attachments and @-mention tags. */
import "server-only";
import { ThreadItemConverter } from "@/lib/chatkit/input";
import type { Attachment, UserMessageTagContent } from "@/lib/chatkit/types";
import type { ResponseInputContent } from "openai/resources/responses/responses";
import type { AssistantContext } from "./context";
import { chatStore } from "./store";

const TEXT_LIMIT = 20_000;
const TEXTUAL = /^(text\/|application\/(json|xml|csv))/;

export class AssistantInputConverter extends ThreadItemConverter {
  constructor(private readonly ctx: AssistantContext) {
    super();
  }

  override async attachmentToMessageContent(attachment: Attachment): Promise<ResponseInputContent> {
    const stored = await chatStore.getAttachmentBytes(attachment.id, this.ctx).catch(() => null);
    const bytes = stored?.bytes;
    if (!bytes)
      return { type: "input_text", text: `[The user attached "${attachment.name}", which was not uploaded.]` };
    if (attachment.type === "image") {
      const url = `data:${attachment.mime_type};base64,${Buffer.from(bytes).toString("base64")}`;
      return { type: "input_image", detail: "auto", image_url: url };
    }
    if (TEXTUAL.test(attachment.mime_type)) {
      const text = new TextDecoder().decode(bytes).slice(0, TEXT_LIMIT);
      return { type: "input_text", text: `[Attached file "${attachment.name}"]\n${text}` };
    }
    const data = `data:${attachment.mime_type};base64,${Buffer.from(bytes).toString("base64")}`;
    return { type: "input_file", filename: attachment.name, file_data: data };
  }

  override async tagToMessageContent(tag: UserMessageTagContent): Promise<ResponseInputContent> {
    return { type: "input_text", text: `${tag.text}: ${JSON.stringify(tag.data ?? {})}` };
  }
}
