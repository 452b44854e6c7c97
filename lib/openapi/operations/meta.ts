/** Meta: health and this API description. */
import { failure, json, type Operation } from "../spec";
import { ok, unavailable } from "./shared";

const jobResult = {
  oneOf: [
    {
      type: "object",
      required: ["done", "retried", "failed"],
      properties: { done: { type: "integer" }, retried: { type: "integer" }, failed: { type: "integer" } },
    },
    { type: "object", required: ["error"], properties: { error: { type: "string" } } },
  ],
};

export const META_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/health",
    tag: "Meta",
    operationId: "health",
    summary: "Health check",
    description:
      "Healthy when the configuration has no problem and the database answers a trivial query within 3 seconds (with every migration applied); degraded (still 200) when only a side journey is broken; unhealthy (503) when sign-up, sign-in or chat cannot be served. `memory` is this instance's heap and resident set. Never cached.",
    auth: "none",
    responses: {
      "200": ok("The app and its database answer.", "Health", {
        example: {
          status: "healthy",
          database: "ok",
          configuration: "ok",
          memory: { heap_used_mb: 61.4, heap_limit_mb: 4144, rss_mb: 171.2 },
        },
      }),
      "503": {
        description: "A main journey cannot be served: the body says which part and why (not the `Error` shape).",
        content: json({
          schema: "Health",
          example: {
            status: "unhealthy",
            database: "unreachable",
            configuration: "ok",
            detail: "Database check failed: no answer within 3000 ms",
            memory: { heap_used_mb: 58.9, heap_limit_mb: 4144, rss_mb: 166 },
          },
        }),
      },
    },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    tag: "Meta",
    operationId: "openapi",
    summary: "This API description (OpenAPI 3.1)",
    description: "Generated from the same zod schemas the routes validate with. A readable rendering lives at `/docs`.",
    auth: "none",
    responses: {
      "200": {
        description: "The OpenAPI 3.1 document.",
        content: json({ schema: { type: "object", description: "An OpenAPI 3.1 document." } }),
      },
    },
  },
  {
    method: "get",
    path: "/api/cron/jobs",
    tag: "Meta",
    operationId: "runScheduledJobs",
    summary: "Deliver due background jobs (cron)",
    description:
      "Called by Vercel Cron (schedule in `vercel.json`) or any scheduler with `Authorization: Bearer <CRON_SECRET>`. " +
      "Drains every job kind (queued emails first) for at most 50 seconds; what is left waits for the next run. " +
      "Concurrent runs never deliver one job twice.",
    auth: "none",
    parameters: [
      {
        name: "Authorization",
        in: "header",
        required: true,
        description: "`Bearer <CRON_SECRET>`.",
        schema: { type: "string" },
      },
    ],
    responses: {
      "200": {
        description: "What each job kind did; `outOfTime` when the budget ran out first.",
        content: json({
          schema: {
            type: "object",
            required: ["kinds", "outOfTime"],
            properties: {
              kinds: { type: "object", additionalProperties: jobResult },
              outOfTime: { type: "boolean" },
            },
          },
          example: { kinds: { email: { done: 2, retried: 0, failed: 0 } }, outOfTime: false },
        }),
      },
      "401": failure("Missing or wrong cron secret.", {
        detail: "A valid cron secret is required",
        code: "unauthorized",
      }),
      "500": failure("CRON_SECRET is not set: the route stays closed.", {
        detail: "CRON_SECRET is not set, so scheduled jobs cannot be triggered",
        code: "not_configured",
      }),
      "503": unavailable,
    },
  },
];
