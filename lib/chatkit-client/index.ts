/** A framework-free client of our ChatKit protocol: requests, SSE reading, transport, thread state. */
export * from "./errors";
export * from "./requests";
export * from "./sse";
export * from "./transport";
export * from "./item-updates";
export * from "./widget-tree";
export * from "./thread-state";
