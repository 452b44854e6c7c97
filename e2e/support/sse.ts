/** Test helper: read a ChatKit SSE body into its events (each frame is `data: <json>\n\n`). */
export type SseEvent = { type: string; [key: string]: unknown };

export function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.trim() !== "")
    .map((frame) => {
      if (!frame.startsWith("data: ")) throw new Error(`not an SSE data frame: ${frame.slice(0, 80)}`);
      return JSON.parse(frame.slice(6)) as SseEvent;
    });
}

export async function readSse(response: Response): Promise<SseEvent[]> {
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    throw new Error(`expected an SSE answer, got ${response.status} ${await response.text()}`);
  }
  return parseSse(await response.text());
}

/** Reads events until `stop(events)` is true, then aborts the request. */
export async function readUntil(
  response: Response,
  controller: AbortController,
  stop: (events: SseEvent[]) => boolean,
): Promise<SseEvent[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: SseEvent[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      events.push(...parseSse(buffer.slice(0, cut + 2)));
      buffer = buffer.slice(cut + 2);
    }
    if (stop(events)) {
      controller.abort();
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return events;
}
