/** The JSON body of every non-2xx answer, as a schema: the API reference is generated from it. */
import { z } from "zod";

export const errorIssueSchema = z.object({
  path: z.string().meta({ description: "Dotted path of the offending field; empty for the body itself." }),
  message: z.string(),
});

export const errorBodySchema = z.object({
  detail: z.string().meta({ description: "A human sentence (FastAPI clients read this field)." }),
  code: z
    .string()
    .meta({ description: "A stable machine code, e.g. `validation_error`, `not_found`, `rate_limited`." }),
  issues: z
    .array(errorIssueSchema)
    .optional()
    .meta({ description: "Present on 422 `validation_error`: one entry per failing field." }),
  request_id: z.string().optional().meta({
    description: "The request's id (also the `x-request-id` response header): quote it when reporting a problem.",
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
