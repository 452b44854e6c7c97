/**
 * Thread items → OpenAI Responses input items (PROTOCOL.md §8.2). Subclass ThreadItemConverter to
 * handle attachments, @-mention tags and non-string hidden context.
 */
import type { ResponseInputContent, ResponseInputItem } from "openai/resources/responses/responses";
import { NotImplementedError } from "./errors";
import { toJson } from "./serialize";
import type {
  Attachment,
  AssistantMessageItem,
  ClientToolCallItem,
  GeneratedImageItem,
  HiddenContextItem,
  SDKHiddenContextItem,
  StructuredInputItem,
  Task,
  ThreadItem,
  UserMessageItem,
  UserMessageTagContent,
  WidgetItem,
} from "./types";

export type InputItem = ResponseInputItem;

const userText = (text: string): ResponseInputItem => ({
  type: "message",
  role: "user",
  content: [{ type: "input_text", text }],
});

export class ThreadItemConverter {
  // ------------------------------------------------------------------ wording (override freely)

  quotedText(quoted: string): string {
    return `The user is pointing at this quoted passage from the conversation:\n${quoted}`;
  }

  tagsPreamble(): string {
    return "Some @-mentions in the user's message were resolved to the entities described below. Call each entity by its plain name, without the leading '@', and do not repeat the '@' form in your answer.";
  }

  widgetText(item: WidgetItem): string {
    return `A UI widget (item id: ${item.id}) was shown to the user. Its content as JSON:\n${toJson(item.widget)}`;
  }

  taskText(task: Task): string | null {
    if (task.type !== "custom") return null;
    const title = task.title ?? "";
    const content = task.content ?? "";
    if (!title && !content) return null;
    const body = title && content ? `${title}: ${content}` : title || content;
    return `A task was carried out and its result was shown to the user:\n<task>\n${body}\n</task>`;
  }

  structuredInputText(item: StructuredInputItem): string {
    const lines = item.inputs.map((q) => {
      const a = q.answer;
      const answer = !a ? "unanswered" : a.skipped ? "skipped" : a.values.length ? a.values.join(", ") : "unanswered";
      return `- ${q.question}: ${answer}`;
    });
    return `The user was asked to fill in a structured form; its status is "${item.status}".\n<structured_input>\n${lines.join("\n")}\n</structured_input>`;
  }

  hiddenText(content: string): string {
    return `Background for the assistant only (the user did not see this):\n<hidden_context>\n${content}\n</hidden_context>`;
  }

  generatedImageText(): string {
    return "The assistant created the image below earlier in this conversation.";
  }

  // ------------------------------------------------------------------ hooks without defaults

  async attachmentToMessageContent(_attachment: Attachment): Promise<ResponseInputContent> {
    throw new NotImplementedError("Override attachmentToMessageContent() to send attachments to the model");
  }

  async tagToMessageContent(_tag: UserMessageTagContent): Promise<ResponseInputContent> {
    throw new NotImplementedError("Override tagToMessageContent() to send @-mention tags to the model");
  }

  async hiddenContextToInput(item: HiddenContextItem): Promise<ResponseInputItem | ResponseInputItem[] | null> {
    if (typeof item.content === "string") return userText(this.hiddenText(item.content));
    throw new NotImplementedError("Override hiddenContextToInput() to convert non-string hidden context");
  }

  // ------------------------------------------------------------------ per item

  async userMessageToInput(item: UserMessageItem, isLast: boolean): Promise<ResponseInputItem[]> {
    let text = "";
    const tags: UserMessageTagContent[] = [];
    for (const part of item.content) {
      if (part.type === "input_text") text += part.text;
      else {
        text += "@" + part.text;
        tags.push(part);
      }
    }
    const content: ResponseInputContent[] = [{ type: "input_text", text }];
    for (const a of item.attachments ?? []) content.push(await this.attachmentToMessageContent(a));
    const out: ResponseInputItem[] = [{ type: "message", role: "user", content }];
    if (item.quoted_text && isLast) out.push(userText(this.quotedText(item.quoted_text)));
    if (tags.length) {
      const seen = new Set<string>();
      const tagContent: ResponseInputContent[] = [{ type: "input_text", text: this.tagsPreamble() }];
      for (const tag of tags) {
        if (seen.has(tag.text)) continue;
        seen.add(tag.text);
        tagContent.push(await this.tagToMessageContent(tag));
      }
      out.push({ type: "message", role: "user", content: tagContent });
    }
    return out;
  }

  assistantMessageToInput(item: AssistantMessageItem): ResponseInputItem[] {
    return [
      {
        type: "message",
        role: "assistant",
        content: item.content.map((p) => ({
          type: "output_text" as const,
          text: p.text,
          annotations: [],
          logprobs: null as never,
        })),
      } as unknown as ResponseInputItem,
    ];
  }

  clientToolCallToInput(item: ClientToolCallItem): ResponseInputItem[] {
    if (item.status === "pending") return [];
    return [
      { type: "function_call", call_id: item.call_id, name: item.name, arguments: JSON.stringify(item.arguments) },
      { type: "function_call_output", call_id: item.call_id, output: JSON.stringify(item.output ?? null) },
    ];
  }

  generatedImageToInput(item: GeneratedImageItem): ResponseInputItem[] {
    if (!item.image) return [];
    return [
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: this.generatedImageText() },
          { type: "input_image", detail: "auto", image_url: item.image.url },
        ],
      },
    ];
  }

  async itemToInput(item: ThreadItem, isLast: boolean): Promise<ResponseInputItem[]> {
    switch (item.type) {
      case "user_message":
        return this.userMessageToInput(item, isLast);
      case "assistant_message":
        return this.assistantMessageToInput(item);
      case "client_tool_call":
        return this.clientToolCallToInput(item);
      case "widget":
        return [userText(this.widgetText(item))];
      case "workflow":
        return item.workflow.tasks.flatMap((t) => {
          const text = this.taskText(t);
          return text ? [userText(text)] : [];
        });
      case "task": {
        const text = this.taskText(item.task);
        return text ? [userText(text)] : [];
      }
      case "structured_input":
        return [userText(this.structuredInputText(item))];
      case "hidden_context_item": {
        const r = await this.hiddenContextToInput(item);
        return r == null ? [] : Array.isArray(r) ? r : [r];
      }
      case "sdk_hidden_context":
        return [userText(this.hiddenText((item as SDKHiddenContextItem).content))];
      case "generated_image":
        return this.generatedImageToInput(item);
      case "end_of_turn":
        return [];
      default:
        return [];
    }
  }

  /** Convert items (oldest first) to Responses input. */
  async toAgentInput(items: ThreadItem[]): Promise<ResponseInputItem[]> {
    const out: ResponseInputItem[] = [];
    const last = items.length - 1;
    for (let i = 0; i < items.length; i++) out.push(...(await this.itemToInput(items[i]!, i === last)));
    return out;
  }
}
