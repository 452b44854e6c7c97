/**
 * Responses API objects and stream events, built from a Plan. The event order keeps every
 * invariant the SDK's `responses.stream()` accumulator checks: `response.created` first, items
 * appended at output_index 0,1,2…, messages added with `content: []`, function calls with
 * `arguments: ""`, item-scoped events naming the item at their index, and a terminal
 * `response.completed` carrying the full output.
 */
import type { ResponseOutputText } from "openai/resources/responses/responses";
import { isRecord, newId, nowSeconds } from "./wire";
import type { Plan, PlannedItem } from "./script";
import {
  annotationEvents,
  citations,
  isReasoningModel,
  reasoningEvents,
  reasoningItem,
  reasoningSummary,
} from "./stream-extras";

export type ResponseObject = Record<string, unknown> & { id: string; output: unknown[]; status: string };
export type StreamEvent = { type: string; sequence_number?: number } & Record<string, unknown>;

/** The API answers with a dated snapshot name for an alias. */
const MODEL_SNAPSHOT = (model: unknown) =>
  typeof model !== "string" || !model
    ? "gpt-4.1-mini-2025-04-14"
    : /\d{4}-\d{2}-\d{2}$/.test(model)
      ? model
      : `${model}-2025-04-14`;

function echoTool(tool: unknown): unknown {
  if (!isRecord(tool) || tool.type !== "file_search") return tool;
  return { filters: null, max_num_results: 20, ranking_options: { ranker: "auto", score_threshold: 0 }, ...tool };
}

/** The in-progress response (R0 in the wire reference): request fields echoed back, no output. */
export function skeleton(body: Record<string, unknown>): ResponseObject {
  return {
    id: newId("resp_"),
    object: "response",
    created_at: nowSeconds(),
    status: "in_progress",
    background: body.background ?? false,
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: MODEL_SNAPSHOT(body.model),
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: body.reasoning ?? { effort: null, summary: null },
    service_tier: body.service_tier ?? "auto",
    store: body.store ?? true,
    temperature: body.temperature ?? 1.0,
    text: body.text ?? { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: Array.isArray(body.tools) ? body.tools.map(echoTool) : [],
    top_p: body.top_p ?? 1.0,
    truncation: body.truncation ?? "disabled",
    usage: null,
    user: body.user ?? null,
    safety_identifier: body.safety_identifier ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    metadata: body.metadata ?? {},
  };
}

type Planned = PlannedItem | { type: "reasoning"; summary: string | null };
type Prepared = {
  planned: Planned;
  id: string;
  callId?: string;
  final: Record<string, unknown>;
  annotations?: ResponseOutputText.FileCitation[];
};

function prepare(plan: Plan, body: Record<string, unknown>): Prepared[] {
  const includeResults = includesResults(body);
  // A reasoning model thinks first; an answer after a file search cites what it found.
  const items: Planned[] = isReasoningModel(body.model)
    ? [{ type: "reasoning", summary: reasoningSummary(body) }, ...plan.items]
    : plan.items;
  const found = plan.items.flatMap((item) => (item.type === "file_search_call" ? item.results : []));
  return items.map((planned) => {
    switch (planned.type) {
      case "reasoning": {
        const id = newId("rs_");
        return { planned, id, final: { ...reasoningItem(id, planned.summary) } };
      }
      case "message": {
        const id = newId("msg_");
        const text = planned.deltas.join("");
        const annotations = citations(found, text);
        return {
          planned,
          id,
          annotations,
          final: {
            id,
            type: "message",
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text, annotations, logprobs: [] }],
          },
        };
      }
      case "function_call": {
        const id = newId("fc_");
        const callId = newId("call_");
        return {
          planned,
          id,
          callId,
          final: {
            id,
            type: "function_call",
            status: "completed",
            arguments: planned.arguments,
            call_id: callId,
            name: planned.name,
          },
        };
      }
      case "file_search_call": {
        const id = newId("fs_");
        return {
          planned,
          id,
          final: {
            id,
            type: "file_search_call",
            status: "completed",
            queries: planned.queries,
            results: includeResults ? planned.results : null,
          },
        };
      }
    }
  });
}

function usage(body: Record<string, unknown>, plan: Plan) {
  const input = Math.max(1, Math.ceil(JSON.stringify(body.input ?? "").length / 4));
  const output = plan.items.reduce(
    (n, item) =>
      n +
      (item.type === "message"
        ? item.deltas.length
        : item.type === "function_call"
          ? Math.ceil(item.arguments.length / 4)
          : 1),
    0,
  );
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

const includesResults = (body: Record<string, unknown>) =>
  Array.isArray(body.include) && body.include.includes("file_search_call.results");

/** The finished response (non-streaming answer, and the payload of `response.completed`). */
export function completed(base: ResponseObject, body: Record<string, unknown>, plan: Plan): ResponseObject {
  return {
    ...base,
    status: "completed",
    completed_at: nowSeconds(),
    output: prepare(plan, body).map((p) => p.final),
    usage: usage(body, plan),
  };
}

export function failed(base: ResponseObject): ResponseObject {
  return {
    ...base,
    status: "failed",
    error: { code: "server_error", message: "The model failed to generate a response." },
    output: [],
  };
}

/** Every event of a successful stream, in order; `delta: true` marks the events a slow stream paces. */
export function* streamEvents(
  base: ResponseObject,
  body: Record<string, unknown>,
  plan: Plan,
): Generator<{ event: StreamEvent; delta?: boolean }> {
  const prepared = prepare(plan, body);
  yield { event: { type: "response.created", response: base } };
  yield { event: { type: "response.in_progress", response: base } };
  for (const [outputIndex, p] of prepared.entries()) {
    const at = { item_id: p.id, output_index: outputIndex };
    const planned = p.planned;
    if (planned.type === "reasoning") {
      for (const event of reasoningEvents(p.id, outputIndex, planned.summary)) yield { event };
      continue;
    }
    if (planned.type === "message") {
      yield {
        event: {
          type: "response.output_item.added",
          output_index: outputIndex,
          item: { id: p.id, type: "message", status: "in_progress", role: "assistant", content: [] },
        },
      };
      const emptyPart = { type: "output_text", text: "", annotations: [] };
      yield { event: { type: "response.content_part.added", ...at, content_index: 0, part: emptyPart } };
      for (const delta of planned.deltas) {
        yield {
          event: { type: "response.output_text.delta", ...at, content_index: 0, delta, logprobs: [] },
          delta: true,
        };
      }
      const text = planned.deltas.join("");
      for (const event of annotationEvents(at, p.annotations ?? [])) yield { event };
      yield { event: { type: "response.output_text.done", ...at, content_index: 0, text, logprobs: [] } };
      yield {
        event: {
          type: "response.content_part.done",
          ...at,
          content_index: 0,
          part: { type: "output_text", text, annotations: p.annotations ?? [] },
        },
      };
    } else if (planned.type === "function_call") {
      yield {
        event: {
          type: "response.output_item.added",
          output_index: outputIndex,
          item: {
            id: p.id,
            type: "function_call",
            status: "in_progress",
            arguments: "",
            call_id: p.callId,
            name: planned.name,
          },
        },
      };
      const half = Math.ceil(planned.arguments.length / 2);
      for (const delta of [planned.arguments.slice(0, half), planned.arguments.slice(half)].filter(Boolean)) {
        yield { event: { type: "response.function_call_arguments.delta", ...at, delta }, delta: true };
      }
      yield {
        event: {
          type: "response.function_call_arguments.done",
          ...at,
          name: planned.name,
          arguments: planned.arguments,
        },
      };
    } else {
      yield {
        event: {
          type: "response.output_item.added",
          output_index: outputIndex,
          item: { id: p.id, type: "file_search_call", status: "in_progress", queries: [], results: null },
        },
      };
      yield { event: { type: "response.file_search_call.in_progress", ...at } };
      yield { event: { type: "response.file_search_call.searching", ...at } };
      yield { event: { type: "response.file_search_call.completed", ...at } };
    }
    yield { event: { type: "response.output_item.done", output_index: outputIndex, item: p.final } };
  }
  yield {
    event: {
      type: "response.completed",
      response: {
        ...base,
        status: "completed",
        completed_at: nowSeconds(),
        output: prepared.map((p) => p.final),
        usage: usage(body, plan),
      },
    },
  };
}
