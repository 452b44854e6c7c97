/**
 * OpenAI Responses stream → ChatKit events (PROTOCOL.md §8.1).
 *
 *   const conv = new ResponsesStreamConverter({ thread, store, context, clientTools: ["get_selection"] });
 *   yield* conv.convert(await openai.responses.create({ ..., stream: true }));
 *   conv.functionCalls // completed function_call items (to run server tools)
 */
import type {
  ResponseFunctionToolCall,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseOutputRefusal,
  ResponseOutputText,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import type { TextDeltaLane } from "./pipeline";
import { nowIso, type Store } from "./store";
import type {
  Annotation,
  AssistantMessageContent,
  AssistantMessageItem,
  ClientToolCallItem,
  GeneratedImageItem,
  JsonObject,
  StoreItemType,
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEvent,
  WorkflowItem,
} from "./types";

type RawAnnotation = { type?: string; [k: string]: unknown };

export type AnnotationConverters = {
  fileCitation?: (a: RawAnnotation) => Annotation | null;
  containerFileCitation?: (a: RawAnnotation) => Annotation | null;
  urlCitation?: (a: RawAnnotation) => Annotation | null;
};

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

function citation(source: Annotation["source"], index: number | undefined): Annotation {
  const out: Annotation = { type: "annotation", source };
  if (index !== undefined) out.index = index;
  return out;
}

export function convertFileCitation(a: RawAnnotation): Annotation | null {
  const filename = str(a.filename);
  return filename ? citation({ type: "file", filename, title: filename }, num(a.index)) : null;
}

export function convertContainerFileCitation(a: RawAnnotation): Annotation | null {
  const filename = str(a.filename);
  return filename ? citation({ type: "file", filename, title: filename }, num(a.end_index)) : null;
}

export function convertUrlCitation(a: RawAnnotation): Annotation | null {
  const url = str(a.url);
  return url ? citation({ type: "url", url, title: str(a.title) ?? url }, num(a.end_index)) : null;
}

/** Responses annotation (typed or plain object) → ChatKit annotation, or null when dropped. */
export function convertAnnotation(raw: unknown, converters: AnnotationConverters = {}): Annotation | null {
  if (raw == null || typeof raw !== "object") return null;
  const a = raw as RawAnnotation;
  switch (a.type) {
    case "file_citation":
      return (converters.fileCitation ?? convertFileCitation)(a);
    case "container_file_citation":
      return (converters.containerFileCitation ?? convertContainerFileCitation)(a);
    case "url_citation":
      return (converters.urlCitation ?? convertUrlCitation)(a);
    default:
      return null;
  }
}

export type ResponsesStreamConverterOptions<TContext> = {
  thread: ThreadMetadata;
  store: Store<TContext>;
  context: TContext;
  /** Newest items of the thread (desc); a trailing workflow is continued. Loaded from the store when omitted. */
  recentItems?: ThreadItem[];
  /** Function names that are answered by the browser: a call ends the turn with a pending client_tool_call. */
  clientTools?: Iterable<string>;
  /** The `partial_images` the image tool was configured with (for progress). */
  partialImages?: number;
  base64ImageToUrl?: (itemId: string, b64: string, partialIndex?: number) => string | Promise<string>;
  annotations?: AnnotationConverters;
  /**
   * Merge events pushed with `stream()` the moment they arrive, even while the model is
   * silent (default true, as the reference). Set false when nothing pushes events while the
   * model streams (tools run between model calls): each model event is then awaited
   * directly, which saves a race of promises per delta; pushed events go out after the next
   * model event or at the end.
   */
  liveContextEvents?: boolean;
  /**
   * The pipeline's text-delta lane (`run.textDeltas` in `respond`): text deltas go there instead
   * of being yielded, which skips the async-generator hops between here and the pipeline for
   * every token. Everything else is still yielded, in order.
   */
  textDeltas?: TextDeltaLane;
};

type Thought = { itemId: string; summaryIndex: number; taskIndex: number };

export class ResponsesStreamConverter<TContext> {
  /** Set by integration code to end the turn with a client tool call. */
  clientToolCall: { name: string; arguments: JsonObject } | null = null;
  /** Completed function_call items seen in the stream (for running server-side tools). */
  readonly functionCalls: ResponseFunctionToolCall[] = [];
  /** Ids of every item this run produced (for rolling back after a guardrail trip). */
  readonly producedItemIds = new Set<string>();

  private readonly opts: ResponsesStreamConverterOptions<TContext>;
  private readonly clientTools: Set<string>;
  private workflow: WorkflowItem | null = null;
  private image: GeneratedImageItem | null = null;
  private thought: Thought | null = null;
  private annotationCounters = new Map<string, number>();
  private lastCallId: string | null = null;
  private lastCallItemId: string | null = null;
  private queue: ThreadStreamEvent[] = [];
  private wakeQueue: (() => void) | null = null;

  constructor(options: ResponsesStreamConverterOptions<TContext>) {
    this.opts = options;
    this.clientTools = new Set(options.clientTools ?? []);
  }

  private gen(type: StoreItemType): string {
    return this.opts.store.generateItemId(type, this.opts.thread, this.opts.context);
  }

  /** Enqueue an event from tool/integration code; it is merged into the output as it arrives. */
  stream(event: ThreadStreamEvent): void {
    this.queue.push(event);
    const w = this.wakeQueue;
    this.wakeQueue = null;
    if (w) w();
  }

  /** `thread.item.removed` for everything produced so far (guardrail rollback). */
  rollbackEvents(): ThreadStreamEvent[] {
    this.queue = [];
    return [...this.producedItemIds].map((item_id) => ({ type: "thread.item.removed", item_id }));
  }

  private endWorkflow(out: ThreadStreamEvent[]): void {
    const wf = this.workflow;
    if (!wf) return;
    if (wf.workflow.summary == null) {
      const started = Date.parse(wf.created_at);
      wf.workflow.summary = {
        duration: Math.max(0, Math.floor((Date.now() - (Number.isNaN(started) ? Date.now() : started)) / 1000)),
      };
    }
    wf.workflow.expanded = false;
    out.push({ type: "thread.item.done", item: wf });
    this.workflow = null;
    this.thought = null;
  }

  private convertPart(part: ResponseOutputText | ResponseOutputRefusal | { type: string }): AssistantMessageContent {
    if (part.type === "refusal")
      return { type: "output_text", text: (part as ResponseOutputRefusal).refusal, annotations: [] };
    const p = part as ResponseOutputText;
    const annotations: Annotation[] = [];
    for (const a of p.annotations ?? []) {
      const c = convertAnnotation(a, this.opts.annotations);
      if (c) annotations.push(c);
    }
    return { type: "output_text", text: p.text ?? "", annotations };
  }

  private assistantItem(item: ResponseOutputMessage): AssistantMessageItem {
    return {
      type: "assistant_message",
      id: item.id,
      thread_id: this.opts.thread.id,
      created_at: nowIso(),
      content: (item.content ?? []).map((p) => this.convertPart(p)),
    };
  }

  private async imageUrl(itemId: string, b64: string, partialIndex?: number): Promise<string> {
    if (this.opts.base64ImageToUrl) return this.opts.base64ImageToUrl(itemId, b64, partialIndex);
    return "data:image/png;base64," + b64;
  }

  private async adoptWorkflow(): Promise<void> {
    let recent = this.opts.recentItems;
    if (!recent) {
      recent = (await this.opts.store.loadThreadItems(this.opts.thread.id, null, 2, "desc", this.opts.context)).data;
    }
    const [newest, second] = recent;
    if (newest?.type === "workflow") this.workflow = newest;
    else if (newest?.type === "client_tool_call" && second?.type === "workflow") this.workflow = second;
  }

  /**
   * Map one Responses event into `out` (often one ChatKit event, sometimes none). Text deltas
   * never come here: the stream loop below handles them itself, on the hot path.
   */
  private async mapEvent(e: ResponseStreamEvent, out: ThreadStreamEvent[]): Promise<void> {
    switch (e.type) {
      case "response.output_item.added":
        return this.itemAdded(e.item, out);
      case "response.content_part.added":
        if (e.part.type === "reasoning_text") return;
        out.push({
          type: "thread.item.updated",
          item_id: e.item_id,
          update: {
            type: "assistant_message.content_part.added",
            content_index: e.content_index,
            content: this.convertPart(e.part),
          },
        });
        return;
      case "response.output_text.annotation.added": {
        const annotation = convertAnnotation(e.annotation, this.opts.annotations);
        if (!annotation) return;
        const key = e.item_id + "\u0000" + e.content_index;
        const index = this.annotationCounters.get(key) ?? 0;
        this.annotationCounters.set(key, index + 1);
        out.push({
          type: "thread.item.updated",
          item_id: e.item_id,
          update: {
            type: "assistant_message.content_part.annotation_added",
            content_index: e.content_index,
            annotation_index: index,
            annotation,
          },
        });
        return;
      }
      case "response.output_text.done":
        out.push({
          type: "thread.item.updated",
          item_id: e.item_id,
          update: {
            type: "assistant_message.content_part.done",
            content_index: e.content_index,
            content: { type: "output_text", text: e.text, annotations: [] },
          },
        });
        return;
      case "response.reasoning_summary_text.delta": {
        const wf = this.workflow;
        if (!wf) return;
        const t = this.thought;
        if (t && t.itemId === e.item_id && t.summaryIndex === e.summary_index) {
          const task = wf.workflow.tasks[t.taskIndex];
          if (task && task.type === "thought") {
            task.content += e.delta;
            out.push({
              type: "thread.item.updated",
              item_id: wf.id,
              update: { type: "workflow.task.updated", task_index: t.taskIndex, task },
            });
          }
          return;
        }
        if (wf.workflow.type === "reasoning" && wf.workflow.tasks.length === 0) {
          const task = { type: "thought" as const, content: e.delta, status_indicator: "none" as const };
          wf.workflow.tasks.push(task);
          this.thought = { itemId: e.item_id, summaryIndex: e.summary_index, taskIndex: 0 };
          out.push({
            type: "thread.item.updated",
            item_id: wf.id,
            update: { type: "workflow.task.added", task_index: 0, task: { ...task } },
          });
        }
        return;
      }
      case "response.reasoning_summary_text.done": {
        const wf = this.workflow;
        if (!wf) return;
        const t = this.thought;
        if (t && t.itemId === e.item_id && t.summaryIndex === e.summary_index) {
          const task = wf.workflow.tasks[t.taskIndex];
          if (task && task.type === "thought") {
            task.content = e.text;
            out.push({
              type: "thread.item.updated",
              item_id: wf.id,
              update: { type: "workflow.task.updated", task_index: t.taskIndex, task: { ...task } },
            });
          }
          this.thought = null;
          return;
        }
        const task = { type: "thought" as const, content: e.text, status_indicator: "none" as const };
        wf.workflow.tasks.push(task);
        out.push({
          type: "thread.item.updated",
          item_id: wf.id,
          update: { type: "workflow.task.added", task_index: wf.workflow.tasks.length - 1, task: { ...task } },
        });
        return;
      }
      case "response.image_generation_call.partial_image": {
        const img = this.image;
        if (!img) return;
        const url = await this.imageUrl(e.item_id, e.partial_image_b64, e.partial_image_index);
        img.image = { id: e.item_id, url };
        const total = this.opts.partialImages ?? 0;
        const progress = total > 0 ? Math.min(1, e.partial_image_index / total) : 0;
        out.push({
          type: "thread.item.updated",
          item_id: img.id,
          update: { type: "generated_image.updated", image: { id: e.item_id, url }, progress },
        });
        return;
      }
      case "response.output_item.done":
        return this.itemDone(e.item, out);
      default:
        return;
    }
  }

  private async itemAdded(item: ResponseOutputItem, out: ThreadStreamEvent[]): Promise<void> {
    if (item.type === "reasoning") {
      if (this.workflow) return;
      const wf: WorkflowItem = {
        type: "workflow",
        id: this.gen("workflow"),
        thread_id: this.opts.thread.id,
        created_at: nowIso(),
        workflow: { type: "reasoning", tasks: [], expanded: false },
      };
      this.workflow = wf;
      this.producedItemIds.add(wf.id);
      out.push({ type: "thread.item.added", item: structuredClone(wf) });
    } else if (item.type === "message") {
      this.endWorkflow(out);
      this.producedItemIds.add(item.id);
      out.push({ type: "thread.item.added", item: this.assistantItem(item) });
    } else if (item.type === "image_generation_call") {
      const img: GeneratedImageItem = {
        type: "generated_image",
        id: this.gen("message"),
        thread_id: this.opts.thread.id,
        created_at: nowIso(),
      };
      this.image = img;
      this.producedItemIds.add(img.id);
      out.push({ type: "thread.item.added", item: { ...img } });
    }
  }

  private async itemDone(item: ResponseOutputItem, out: ThreadStreamEvent[]): Promise<void> {
    switch (item.type) {
      case "message":
        out.push({ type: "thread.item.done", item: this.assistantItem(item) });
        return;
      case "image_generation_call": {
        const img = this.image;
        if (!img || !item.result) return;
        img.image = { id: item.id, url: await this.imageUrl(item.id, item.result) };
        out.push({ type: "thread.item.done", item: img });
        this.image = null;
        return;
      }
      case "function_call": {
        this.functionCalls.push(item);
        this.lastCallId = item.call_id;
        this.lastCallItemId = item.id ?? null;
        if (item.id) this.producedItemIds.add(item.id);
        if (this.clientTools.has(item.name) && !this.clientToolCall) {
          let args: JsonObject = {};
          try {
            const parsed: unknown = JSON.parse(item.arguments || "{}");
            if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) args = parsed as JsonObject;
          } catch {
            /* malformed arguments: keep {} */
          }
          this.clientToolCall = { name: item.name, arguments: args };
        }
        return;
      }
      case "reasoning":
      case "function_call_output" as string:
        return;
      default:
        if (typeof item.type === "string" && item.type.endsWith("_call")) {
          this.lastCallId = null;
          this.lastCallItemId = null;
        }
    }
  }

  private contextEvent(e: ThreadStreamEvent, out: ThreadStreamEvent[]): void {
    if (e.type === "thread.item.added" || e.type === "thread.item.done") {
      const item = e.item;
      const wf = this.workflow;
      if (wf && wf.id !== item.id && item.type !== "client_tool_call" && item.type !== "hidden_context_item")
        this.endWorkflow(out);
      if (e.type === "thread.item.added" && item.type === "workflow") this.workflow = item;
      this.producedItemIds.add(item.id);
    }
    out.push(e);
  }

  /** Convert a whole Responses stream; context events pushed with `stream()` are merged in. */
  async *convert(events: AsyncIterable<ResponseStreamEvent>): AsyncGenerator<ThreadStreamEvent> {
    await this.adoptWorkflow();
    const it = events[Symbol.asyncIterator]();
    const out: ThreadStreamEvent[] = [];
    let next: Promise<IteratorResult<ResponseStreamEvent>> | null = it.next();
    try {
      while (next) {
        while (this.queue.length) {
          const q = this.queue;
          this.queue = [];
          for (const e of q) this.contextEvent(e, out);
          for (const e of out) yield e;
          out.length = 0;
        }
        let r: IteratorResult<ResponseStreamEvent>;
        if (this.opts.liveContextEvents === false) {
          r = await next;
        } else {
          // Wait for the model, or for integration code to push an event.
          const wake = new Promise<"queue">((res) => (this.wakeQueue = () => res("queue")));
          const raced = await Promise.race([next, wake]);
          this.wakeQueue = null;
          if (raced === "queue") continue;
          r = raced;
        }
        if (r.done) {
          next = null;
          break;
        }
        next = it.next();
        const ev = r.value;
        if (ev.type === "response.output_text.delta") {
          // Hot path (one per token): no async hop through mapEvent, and none at all with the lane.
          const lane = this.opts.textDeltas;
          if (lane) {
            const behind = lane.textDelta(ev.item_id, ev.content_index, ev.delta);
            if (behind) await behind;
            continue;
          }
          yield {
            type: "thread.item.updated",
            item_id: ev.item_id,
            update: {
              type: "assistant_message.content_part.text_delta",
              content_index: ev.content_index,
              delta: ev.delta,
            },
          };
          continue;
        }
        await this.mapEvent(ev, out);
        if (out.length === 1) yield out.pop()!;
        else if (out.length) {
          for (const e of out) yield e;
          out.length = 0;
        }
      }
      for (const e of this.queue) this.contextEvent(e, out);
      this.queue = [];
      for (const e of out) yield e;
      out.length = 0;
      yield* this.finish();
    } finally {
      if (next) await it.return?.();
    }
  }

  private async *finish(): AsyncGenerator<ThreadStreamEvent> {
    if (this.workflow) {
      await this.opts.store.addThreadItem(this.opts.thread.id, this.workflow, this.opts.context);
      this.workflow = null;
    }
    const call = this.clientToolCall;
    if (call) {
      const item: ClientToolCallItem = {
        type: "client_tool_call",
        id: this.lastCallItemId ?? this.gen("tool_call"),
        thread_id: this.opts.thread.id,
        created_at: nowIso(),
        status: "pending",
        call_id: this.lastCallId ?? this.gen("tool_call"),
        name: call.name,
        arguments: call.arguments,
      };
      this.producedItemIds.add(item.id);
      yield { type: "thread.item.done", item };
    }
  }
}
