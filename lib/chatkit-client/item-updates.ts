/**
 * Applies one `ThreadItemUpdate` to one item, returning a new item that shares every part it
 * did not change. A text delta copies the item shell and its content array and concatenates
 * one string: its cost follows that part, not the thread, because the UI re-renders per delta.
 *
 * The rules are the protocol's (and lib/chatkit/pipeline.ts applies the same ones to its
 * pending copies): parts beyond the end are padded with empty text parts; `added`/`done`
 * replace a part wholesale; `annotation_added` inserts at its index or appends past the end;
 * `workflow.task.added` appends; `workflow.task.updated` replaces the task at its index.
 * An update that does not fit the item's type leaves the item as it is.
 */
import type { AssistantMessageContent, ThreadItem, ThreadItemUpdate } from "../chatkit/types";
import { updateWidgetNode } from "./widget-tree";

type AssistantItem = Extract<ThreadItem, { type: "assistant_message" }>;

const emptyPart = (): AssistantMessageContent => ({ type: "output_text", text: "", annotations: [] });

function withPart(
  item: AssistantItem,
  index: number,
  fn: (part: AssistantMessageContent) => AssistantMessageContent,
): AssistantItem {
  if (index < 0) return item;
  const content = item.content.slice();
  while (content.length <= index) content.push(emptyPart());
  content[index] = fn(content[index]!);
  return { ...item, content };
}

export function applyItemUpdate(item: ThreadItem, update: ThreadItemUpdate): ThreadItem {
  switch (update.type) {
    case "assistant_message.content_part.added":
    case "assistant_message.content_part.done":
      if (item.type !== "assistant_message") return item;
      return withPart(item, update.content_index, () => ({
        ...update.content,
        annotations: update.content.annotations ?? [],
      }));
    case "assistant_message.content_part.text_delta":
      if (item.type !== "assistant_message") return item;
      return withPart(item, update.content_index, (part) => ({ ...part, text: part.text + update.delta }));
    case "assistant_message.content_part.annotation_added":
      if (item.type !== "assistant_message") return item;
      return withPart(item, update.content_index, (part) => {
        const annotations = (part.annotations ?? []).slice();
        if (update.annotation_index >= 0 && update.annotation_index < annotations.length) {
          annotations.splice(update.annotation_index, 0, update.annotation);
        } else annotations.push(update.annotation);
        return { ...part, annotations };
      });
    case "widget.root.updated":
      if (item.type !== "widget") return item;
      return { ...item, widget: update.widget };
    case "widget.component.updated":
      if (item.type !== "widget") return item;
      return { ...item, widget: updateWidgetNode(item.widget, update.component_id, () => update.component) };
    case "widget.streaming_text.value_delta":
      if (item.type !== "widget") return item;
      return {
        ...item,
        widget: updateWidgetNode(item.widget, update.component_id, (node) => ({
          ...node,
          value: (typeof node.value === "string" ? node.value : "") + update.delta,
          streaming: !update.done,
        })),
      };
    case "workflow.task.added":
      if (item.type !== "workflow") return item;
      return { ...item, workflow: { ...item.workflow, tasks: [...item.workflow.tasks, update.task] } };
    case "workflow.task.updated": {
      if (item.type !== "workflow") return item;
      const i = update.task_index;
      if (i < 0 || i > item.workflow.tasks.length) return item;
      const tasks = item.workflow.tasks.slice();
      tasks[i] = update.task;
      return { ...item, workflow: { ...item.workflow, tasks } };
    }
    case "generated_image.updated":
      if (item.type !== "generated_image") return item;
      return { ...item, image: update.image };
    default:
      // A variant newer than this client: showing the item as it was beats breaking the thread.
      return item;
  }
}
