/**
 * Output a real model adds around its answer, which the app must take in its stride: a
 * reasoning model (o-series, gpt-5*) puts a `reasoning` item first, with summary events only
 * when the request asks for a summary (`reasoning.summary`); an answer drawn from file_search
 * results cites them with `file_citation` annotations. Typed with the SDK's own types, so an
 * SDK upgrade that moves a field fails the typecheck.
 */
import type {
  ResponseOutputText,
  ResponseReasoningItem,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import type { SearchResult } from "./script";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A stream event before the server numbers it. */
export type UnnumberedEvent = DistributiveOmit<ResponseStreamEvent, "sequence_number">;

export const isReasoningModel = (model: unknown): boolean => typeof model === "string" && /^(o\d|gpt-5)/.test(model);

/** The summary text a reasoning item carries when one is asked for, else null. */
export function reasoningSummary(body: Record<string, unknown>): string | null {
  const reasoning = body.reasoning;
  const wanted =
    typeof reasoning === "object" &&
    reasoning !== null &&
    typeof (reasoning as { summary?: unknown }).summary === "string";
  return wanted ? "**Reading the request**\n\nWorking out what the user asks for." : null;
}

export function reasoningItem(id: string, summary: string | null): ResponseReasoningItem {
  return {
    id,
    type: "reasoning",
    status: "completed",
    summary: summary === null ? [] : [{ type: "summary_text", text: summary }],
  };
}

/** Every event of a reasoning item at `outputIndex`. */
export function* reasoningEvents(id: string, outputIndex: number, summary: string | null): Generator<UnnumberedEvent> {
  yield {
    type: "response.output_item.added",
    output_index: outputIndex,
    item: { id, type: "reasoning", status: "in_progress", summary: [] },
  };
  if (summary !== null) {
    const at = { item_id: id, output_index: outputIndex, summary_index: 0 };
    yield { type: "response.reasoning_summary_part.added", ...at, part: { type: "summary_text", text: "" } };
    const half = Math.ceil(summary.length / 2);
    for (const delta of [summary.slice(0, half), summary.slice(half)])
      yield { type: "response.reasoning_summary_text.delta", ...at, delta };
    yield { type: "response.reasoning_summary_text.done", ...at, text: summary };
    yield { type: "response.reasoning_summary_part.done", ...at, part: { type: "summary_text", text: summary } };
  }
  yield { type: "response.output_item.done", output_index: outputIndex, item: reasoningItem(id, summary) };
}

/** File citations for an answer drawn from these results; `index` is the end of the text. */
export function citations(results: SearchResult[], text: string): ResponseOutputText.FileCitation[] {
  const seen = new Set<string>();
  return results.flatMap((r) => {
    if (seen.has(r.file_id)) return [];
    seen.add(r.file_id);
    return [{ type: "file_citation", file_id: r.file_id, filename: r.filename, index: text.length }];
  });
}

/** The annotation events of one text part, in order (after its deltas, before `output_text.done`). */
export function* annotationEvents(
  at: { item_id: string; output_index: number },
  annotations: ResponseOutputText.FileCitation[],
): Generator<UnnumberedEvent> {
  for (const [annotationIndex, annotation] of annotations.entries())
    yield {
      type: "response.output_text.annotation.added",
      ...at,
      content_index: 0,
      annotation_index: annotationIndex,
      annotation,
    };
}
