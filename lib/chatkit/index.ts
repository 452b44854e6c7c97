export * from "./types";
export * from "./errors";
export * from "./serialize";
export * from "./store";
export * from "./server";
export * from "./responses";
export * from "./input";
export * as widgets from "./widgets";
export { diffWidget, streamWidget, accumulateText, actionConfig } from "./widgets";
