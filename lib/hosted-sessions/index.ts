import "server-only";
export { hostedSessionAnswerSchema, mintHostedSession } from "./mint";
export { refreshHostedSession } from "./refresh";
export { limitSessionRequests, SESSION_RATE_LIMIT } from "./rate-limit";
export { refreshRequestSchema, sessionRequestSchema } from "./request";
