/** Meta: health and this API description. */
import { json, type Operation } from "../spec";
import { ok } from "./shared";

export const META_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/health",
    tag: "Meta",
    operationId: "health",
    summary: "Health check",
    description: "Healthy when the database answers a trivial query within 3 seconds. Never cached.",
    auth: "none",
    responses: {
      "200": ok("The app and its database answer.", "Health", { example: { status: "healthy" } }),
      "503": {
        description: "The database cannot be reached (the body says why; not the `Error` shape).",
        content: json({
          schema: "Health",
          example: {
            status: "unhealthy",
            database: "unreachable",
            detail: "Database check failed: no answer within 3000 ms",
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
];
