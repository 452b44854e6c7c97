import { json, route } from "@/lib/http";
import { openApiDocument } from "@/lib/openapi/document";

/** The API description, generated from the routes' zod schemas (rendered for people at /docs). */
export const GET = route(() =>
  json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } }),
);
