/**
 * In-memory ChatKit sessions, files and vector stores (it is a fake of an external service, so
 * its state lives in the process; files and stores are in vector-stores.ts). Validation follows the wire reference: it rejects what the
 * real API rejects, with the same error shape, so our code's bad requests show up in tests.
 */
import { z } from "zod";
import { FakeApiError, parse } from "./api-error";
import { VectorStoreState } from "./vector-stores";
import { newId, nowSeconds } from "./wire";

export { FakeApiError } from "./api-error";

// --- ChatKit sessions -------------------------------------------------------------------

const primitiveSchema = z.union([z.string(), z.number(), z.boolean()]);
export const sessionCreateSchema = z.object({
  user: z.string().min(1),
  workflow: z.object({
    id: z.string().min(1),
    version: z.string().optional(),
    state_variables: z
      .record(z.string().min(1).max(64), primitiveSchema)
      .refine((v) => Object.keys(v).length <= 64, "at most 64 state variables")
      .optional(),
    tracing: z.object({ enabled: z.boolean() }).optional(),
  }),
  chatkit_configuration: z
    .object({
      automatic_thread_titling: z.object({ enabled: z.boolean() }).optional(),
      file_upload: z
        .object({
          enabled: z.boolean().optional(),
          max_file_size: z.number().int().min(1).max(512).optional(),
          max_files: z.number().int().min(1).optional(),
        })
        .optional(),
      history: z
        .object({ enabled: z.boolean().optional(), recent_threads: z.number().int().min(1).nullable().optional() })
        .optional(),
    })
    .optional(),
  expires_after: z.object({ anchor: z.literal("created_at"), seconds: z.number().int().min(1).max(600) }).optional(),
  rate_limits: z.object({ max_requests_per_1_minute: z.number().int().min(1) }).optional(),
});

export type ChatSession = ReturnType<typeof sessionResource>;

function sessionResource(body: z.infer<typeof sessionCreateSchema>) {
  const perMinute = body.rate_limits?.max_requests_per_1_minute ?? 10;
  const config = body.chatkit_configuration;
  return {
    id: newId("cksess_"),
    object: "chatkit.session" as const,
    status: "active" as "active" | "expired" | "cancelled",
    user: body.user,
    client_secret: newId("ek_fake_", 24),
    expires_at: nowSeconds() + (body.expires_after?.seconds ?? 600),
    max_requests_per_1_minute: perMinute,
    rate_limits: { max_requests_per_1_minute: perMinute },
    workflow: {
      id: body.workflow.id,
      version: body.workflow.version ?? null,
      state_variables: body.workflow.state_variables ?? null,
      tracing: { enabled: body.workflow.tracing?.enabled ?? true },
    },
    chatkit_configuration: {
      automatic_thread_titling: { enabled: config?.automatic_thread_titling?.enabled ?? true },
      file_upload: {
        enabled: config?.file_upload?.enabled ?? false,
        max_file_size: config?.file_upload?.max_file_size ?? 512,
        max_files: config?.file_upload?.max_files ?? 10,
      },
      history: { enabled: config?.history?.enabled ?? true, recent_threads: config?.history?.recent_threads ?? null },
    },
  };
}

/** ChatKit sessions, plus the files and vector stores of VectorStoreState. */
export class Resources extends VectorStoreState {
  readonly sessions = new Map<string, ChatSession>();

  createSession(body: unknown): ChatSession {
    const session = sessionResource(parse(sessionCreateSchema, body));
    this.sessions.set(session.id, session);
    return session;
  }

  cancelSession(id: string): ChatSession {
    const session = this.sessions.get(id);
    if (!session) throw new FakeApiError(404, `No session found with id '${id}'.`, null, "not_found");
    session.status = "cancelled";
    return session;
  }

  override reset(): void {
    this.sessions.clear();
    super.reset();
  }
}
