/**
 * Bodies of POST /api/chatkit/session and /api/chatkit/refresh. Every field is optional and
 * accepted in snake_case and camelCase (the seed's clients send either); snake_case wins when
 * both are present. State variables are primitives with short keys, bounded in count and size,
 * so a client cannot push arbitrary documents into the workflow's state.
 */
import { z } from "zod";

export const MAX_STATE_VARIABLES = 32;
export const MAX_STATE_KEY_LENGTH = 64;
export const MAX_STATE_VALUE_LENGTH = 512;

const stateKey = z
  .string()
  .min(1, "state variable names must not be empty")
  .max(MAX_STATE_KEY_LENGTH, `state variable names are at most ${MAX_STATE_KEY_LENGTH} characters`)
  .regex(/^[A-Za-z0-9_.-]+$/, "state variable names may use letters, digits, '_', '.' and '-' only");

const stateValueSchema = z.union(
  [
    z.string().max(MAX_STATE_VALUE_LENGTH, `state values are at most ${MAX_STATE_VALUE_LENGTH} characters`),
    z.number(),
    z.boolean(),
  ],
  { error: "state values must be a string, number or boolean" },
);

export const stateVariablesSchema = z
  .record(stateKey, stateValueSchema)
  .refine((v) => Object.keys(v).length <= MAX_STATE_VARIABLES, `at most ${MAX_STATE_VARIABLES} state variables`);

const workflowId = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, "is not a valid workflow id");

const workflowVersion = z
  .union([z.string().trim().min(1).max(64), z.number().int().nonnegative()])
  .transform((v) => String(v));

const sessionIdSchema = z.string().trim().min(1).max(200);

const fields = {
  workflow_id: workflowId.nullish(),
  workflowId: workflowId.nullish(),
  workflow_version: workflowVersion.nullish(),
  workflowVersion: workflowVersion.nullish(),
  workflow_state: stateVariablesSchema.nullish(),
  state_variables: stateVariablesSchema.nullish(),
  stateVariables: stateVariablesSchema.nullish(),
};

type Fields = { [K in keyof typeof fields]?: z.output<(typeof fields)[K]> };

function normalize(v: Fields) {
  return {
    workflowId: v.workflow_id ?? v.workflowId ?? undefined,
    workflowVersion: v.workflow_version ?? v.workflowVersion ?? undefined,
    stateVariables: v.workflow_state ?? v.state_variables ?? v.stateVariables ?? {},
  };
}

export const sessionRequestSchema = z.object(fields).transform(normalize);

export const refreshRequestSchema = z
  .object({ ...fields, session_id: sessionIdSchema.nullish(), sessionId: sessionIdSchema.nullish() })
  .transform((v) => ({ ...normalize(v), sessionId: v.session_id ?? v.sessionId ?? undefined }));

export type SessionRequest = z.output<typeof sessionRequestSchema>;
export type RefreshRequest = z.output<typeof refreshRequestSchema>;
