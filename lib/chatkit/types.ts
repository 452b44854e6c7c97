/**
 * The ChatKit protocol's shapes in one import: thread and item shapes with the stream events
 * (`thread-types.ts`) and the request bodies (`request-types.ts`).
 */
export * from "./thread-types";
export * from "./request-types";
