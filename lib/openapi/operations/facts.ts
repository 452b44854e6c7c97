/** Facts: what the assistant heard, pending until the user saves or discards it. */
import { failure, pathParam, responseExample, type Operation } from "../spec";
import { authed, ISO, ok } from "./shared";

const fact = { id: "fact_3f9a1c0e5b7d42a8c1e09b6d7f3a2c51", text: "My sister is called Ada.", createdAt: ISO };

export const FACTS_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/facts",
    tag: "Facts",
    operationId: "listFacts",
    summary: "List saved facts",
    description: "The caller's saved facts, oldest first (at most 200).",
    auth: "user",
    responses: {
      "200": ok("The saved facts.", "FactList", responseExample("FactList", { facts: [{ ...fact, status: "saved" }] })),
      ...authed,
    },
  },
  factDecision("save", "saved"),
  factDecision("discard", "discarded"),
];

function factDecision(verb: "save" | "discard", status: "saved" | "discarded"): Operation {
  return {
    method: "post",
    path: `/facts/{fact_id}/${verb}`,
    tag: "Facts",
    operationId: `${verb}Fact`,
    summary: verb === "save" ? "Save a fact" : "Discard a fact",
    description:
      `Marks the fact \`${status}\` — the same change as the fact card's button in the chat, whose card is settled too. ` +
      (verb === "save" ? "A saved fact is copied to the caller's memory store for later conversations. " : "") +
      "Idempotent: repeating it answers the fact unchanged.",
    auth: "user",
    parameters: [
      pathParam("fact_id", "`fact_` followed by hex characters.", { type: "string", pattern: "^fact_[0-9a-f]{8,64}$" }),
    ],
    responses: {
      "200": ok(
        `The fact, now \`${status}\`.`,
        "FactEnvelope",
        responseExample("FactEnvelope", { fact: { ...fact, status } }),
      ),
      ...authed,
      "404": failure("Unknown, malformed or another user's fact id.", {
        detail: "Fact not found",
        code: "fact_not_found",
      }),
    },
  };
}
