export * from "./users";
export * from "./rate-limits";
export * from "./email";
export * from "./billing";
export * from "./memory";
export * from "./facts";
export * from "./chatkit";
export * from "./account";
