/**
 * Minting a hosted ChatKit session: workflow check, the user's memory store, the OpenAI call,
 * and a record of the session so refresh can later cancel only the caller's own sessions.
 */
import "server-only";
import type OpenAI from "openai";
import { z } from "zod";
import { getDb } from "@/db/client";
import { chatkitSessions } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError, badGateway } from "@/lib/http";
import { ensureUserVectorStore } from "@/lib/memory";
import { callOpenAI, requireOpenAI } from "@/lib/openai";
import type { SessionRequest } from "./request";
import { resolveWorkflow } from "./workflow";

export const SESSION_FAILED = "Unable to create ChatKit session.";

/** ChatKit accepts 1–600 seconds. */
const MAX_TTL_SECONDS = 600;

export const hostedSessionAnswerSchema = z.object({
  client_secret: z.string().meta({ description: "Hand this to the ChatKit web component; it expires." }),
  session_id: z.string().meta({ examples: ["cksess_123"] }),
  expires_at: z.number().int().meta({ description: "Unix seconds." }),
  status: z.string().meta({ examples: ["active"] }),
  user: z.string().meta({ description: "The ChatKit user: the caller's user id." }),
  max_requests_per_1_minute: z.number().int(),
});
export type HostedSessionAnswer = z.infer<typeof hostedSessionAnswerSchema>;

function toAnswer(session: OpenAI.Beta.ChatKit.ChatSession): HostedSessionAnswer {
  return {
    client_secret: session.client_secret,
    session_id: session.id,
    expires_at: session.expires_at,
    status: session.status,
    user: session.user,
    max_requests_per_1_minute: session.max_requests_per_1_minute,
  };
}

export async function mintHostedSession(userId: string, request: SessionRequest): Promise<HostedSessionAnswer> {
  const workflow = await resolveWorkflow(userId, request);
  const client = requireOpenAI();
  const vectorStoreId = await ensureUserVectorStore(userId).catch((err: unknown) => {
    throw err instanceof AppError && err.status === 502 ? badGateway(SESSION_FAILED, err.code) : err;
  });
  const { chatkit } = getEnv();
  const session = await callOpenAI("chatkit session create", SESSION_FAILED, () =>
    client.beta.chatkit.sessions.create({
      user: userId,
      workflow: {
        ...workflow,
        // The server's values win over anything the client sent under the same names.
        state_variables: { ...request.stateVariables, user_id: userId, vector_store_id: vectorStoreId },
      },
      expires_after: { anchor: "created_at", seconds: Math.min(chatkit.sessionTtlSeconds, MAX_TTL_SECONDS) },
      rate_limits: { max_requests_per_1_minute: chatkit.maxRequestsPerMinute },
      chatkit_configuration: {
        automatic_thread_titling: { enabled: true },
        file_upload: { enabled: false },
        history: { enabled: true },
      },
    }),
  );
  try {
    const db = await getDb();
    await db.insert(chatkitSessions).values({
      id: session.id,
      userId,
      workflowId: workflow.id,
      expiresAt: new Date(session.expires_at * 1000),
    });
  } catch (err) {
    // Unrecorded sessions could never be cancelled by refresh: withdraw it.
    await client.beta.chatkit.sessions.cancel(session.id).catch(() => undefined);
    throw err;
  }
  return toAnswer(session);
}
