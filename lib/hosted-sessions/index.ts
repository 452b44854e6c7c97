export { hostedSessionAnswerSchema, mintHostedSession, SESSION_FAILED, type HostedSessionAnswer } from "./mint";
export { cancelOwnSession, refreshHostedSession, type CancelOutcome } from "./refresh";
export { limitSessionRequests, SESSION_RATE_LIMIT } from "./rate-limit";
export { refreshRequestSchema, sessionRequestSchema, type RefreshRequest, type SessionRequest } from "./request";
export { resolveWorkflow, type ResolvedWorkflow } from "./workflow";
