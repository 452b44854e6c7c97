/**
 * Every endpoint the app serves, in one registry: method, path, who may call, what to send,
 * and each answer with its status. One file per tag; bodies and answers name schemas from
 * `../components.ts` (owned by their feature modules); statuses and error codes follow the
 * code paths of each route, and body limits come from `lib/http/body-limits.ts`, the same
 * constants the routes use. `../routes.test.ts` fails when a route file exists that this
 * list does not describe. To add an endpoint, add it to its tag's file.
 */
import type { Operation } from "../spec";
import { ACCOUNT_OPERATIONS } from "./account";
import { AUTH_OPERATIONS } from "./auth";
import { CHATKIT_OPERATIONS } from "./chatkit";
import { FACTS_OPERATIONS } from "./facts";
import { META_OPERATIONS } from "./meta";
import { MICRO_AGENT_OPERATIONS } from "./micro-agents";
import { nextAuthOperations } from "./next-auth";
import { WEBHOOK_OPERATIONS } from "./webhooks";

export { NEXT_AUTH_PREFIX } from "./next-auth";

/**
 * Route prefixes left out of the reference on purpose, with the reason. Only tooling belongs
 * here, never an endpoint a client may use.
 */
export const UNDOCUMENTED_ROUTES: Record<string, string> = {
  "/api/bench/": "Benchmark yardsticks for the load tests; 404 unless BENCH_ROUTES=1.",
};

export const OPERATIONS: Operation[] = [
  ...META_OPERATIONS,
  ...CHATKIT_OPERATIONS,
  ...FACTS_OPERATIONS,
  ...AUTH_OPERATIONS,
  ...nextAuthOperations(),
  ...ACCOUNT_OPERATIONS,
  ...MICRO_AGENT_OPERATIONS,
  ...WEBHOOK_OPERATIONS,
];
