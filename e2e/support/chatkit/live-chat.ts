/**
 * For Vitest: our real ChatKit endpoint (app/chatkit/route.ts, the fact assistant, Postgres)
 * in-process behind the OpenAI fake, reached through this module's own client, with every
 * response body recorded byte for byte as the server chunked it. Tests replay those bytes.
 */
import { beforeAll, expect } from "vitest";
import { POST } from "@/app/chatkit/route";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import type { ChatKitReq, StreamingReq, Thread, ThreadStreamEvent } from "@/lib/chatkit/types";
import { threadsGetById } from "@/lib/chatkit-client/requests";
import {
  applyEvent,
  applyRequest,
  endStream,
  threadViewFrom,
  type ThreadView,
} from "@/lib/chatkit-client/thread-state";
import { createChatKitClient, type ChatKitClient } from "@/lib/chatkit-client/transport";

export const CHATKIT_URL = "http://app.test/chatkit";

/** One exchange as it went over the wire. */
export type Recording = { req: ChatKitReq; status: number; contentType: string; chunks: Uint8Array[] };

export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Calls the route handler directly, recording each answer's body chunks as they pass. */
function recordingFetch(recordings: Recording[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const req = JSON.parse(await request.clone().text()) as ChatKitReq;
    const res = await POST(request, undefined);
    const rec: Recording = {
      req,
      status: res.status,
      contentType: res.headers.get("content-type") ?? "",
      chunks: [],
    };
    recordings.push(rec);
    if (!res.body) return res;
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, c) {
          rec.chunks.push(chunk.slice());
          c.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

export type LiveChat = {
  fake: ReturnType<typeof useOpenAIFake>;
  user: () => TestUser;
  client: () => ChatKitClient;
  /** Every exchange so far, in order. */
  recordings: Recording[];
  /** Sends a streaming request the way a UI does: applyRequest, then each event. */
  run(
    view: ThreadView,
    req: StreamingReq,
    signal?: AbortSignal,
  ): Promise<{ view: ThreadView; events: ThreadStreamEvent[] }>;
  /** What `threads.get_by_id` says now. */
  load(threadId: string): Promise<Thread>;
  /** Asserts that the reduced view shows exactly what the server stored (hidden items excepted). */
  expectMatchesServer(view: ThreadView): Promise<Thread>;
};

/** Call at the top level of a test file. */
export function useLiveChat(): LiveChat {
  useTestDatabase();
  const fake = useOpenAIFake({ OPENAI_TIMEOUT_MS: "1500", OPENAI_STREAM_IDLE_MS: "600" });
  const recordings: Recording[] = [];
  const state: { user?: TestUser; client?: ChatKitClient } = {};
  beforeAll(async () => {
    const user = await createTestUser();
    state.user = user;
    state.client = createChatKitClient({
      url: CHATKIT_URL,
      fetch: recordingFetch(recordings),
      headers: () => user.headers,
    });
  });
  const user = () => state.user!;
  const client = () => state.client!;
  const live: LiveChat = {
    fake,
    user,
    client,
    recordings,
    async run(view, req, signal) {
      let v = applyRequest(view, req);
      const events: ThreadStreamEvent[] = [];
      for await (const e of client().stream(req, { signal })) {
        events.push(e);
        v = applyEvent(v, e);
      }
      return { view: endStream(v), events };
    },
    load: (threadId) => client().json(threadsGetById(threadId)),
    async expectMatchesServer(view) {
      expect(view.thread).not.toBeNull();
      const thread = await live.load(view.thread!.id);
      const fresh = threadViewFrom(thread);
      expect(view.thread).toEqual(fresh.thread);
      expect(view.items).toEqual(fresh.items);
      expect(view.pendingClientToolCall).toEqual(fresh.pendingClientToolCall);
      return thread;
    },
  };
  return live;
}
