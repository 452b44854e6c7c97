/**
 * A span for each database statement (OpenTelemetry's database conventions: `db.system.name`,
 * `db.operation.name`, `db.collection.name`), under whatever recorded span is active when the
 * query is made: an API request's, a webhook's, a job's. Outside one (a page) none is made.
 *
 * Drizzle sends a statement through `pool.query` (a promise, in the caller's async context) or,
 * inside a transaction, through the client it borrowed. Both are wrapped; the pool's own
 * callback-style call into a client is not (it would count the statement twice, and it can run
 * in whichever request last released a client, so under the wrong parent). The SQL text is not
 * recorded: names of the operation and table are enough to find a slow step, and no value a
 * user wrote can reach a span that way.
 */
import "server-only";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { startChildSpan } from "./tracing";

type QueryFn = (...args: unknown[]) => unknown;
type Queries = { query: QueryFn };
type ConnectingPool = Queries & { on(event: "connect", listener: (client: Queries) => void): unknown };

const NAME = String.raw`"?([a-z_][\w$]*)"?`;
const TARGET: Record<string, RegExp> = {
  INSERT: new RegExp(String.raw`\binsert\s+into\s+${NAME}`, "i"),
  UPDATE: new RegExp(String.raw`\bupdate\s+${NAME}`, "i"),
  DELETE: new RegExp(String.raw`\bdelete\s+from\s+${NAME}`, "i"),
  SELECT: new RegExp(String.raw`\bfrom\s+${NAME}`, "i"),
};

/**
 * `{ operation, table }` of a statement, or its first keyword alone. A `with` statement is named
 * by the first write inside it (our CTEs write several tables in one round trip), else SELECT.
 */
export function describeStatement(text: string): { operation: string; table?: string } {
  const head = text.trimStart().slice(0, 2000);
  let operation = (/^[a-z]+/i.exec(head)?.[0] ?? "QUERY").toUpperCase();
  if (operation === "WITH") {
    const writes = ["INSERT", "UPDATE", "DELETE"]
      .map((op) => ({ op, at: TARGET[op]!.exec(head)?.index ?? Infinity }))
      .sort((a, b) => a.at - b.at);
    operation = writes[0]!.at < Infinity ? writes[0]!.op : "SELECT";
  }
  const table = TARGET[operation]?.exec(head)?.[1];
  return table ? { operation, table } : { operation };
}

// Our statements are a few dozen shapes, their values passed apart: each is described once.
const described = new Map<string, { operation: string; table?: string }>();
const DESCRIBED_MAX = 500;

function describeCached(text: string): { operation: string; table?: string } {
  let found = described.get(text);
  if (!found) {
    if (described.size >= DESCRIBED_MAX) described.clear(); // statements built with inlined values: start over
    found = describeStatement(text);
    described.set(text, found);
  }
  return found;
}

const textOf = (arg: unknown): string =>
  typeof arg === "string"
    ? arg
    : typeof (arg as { text?: unknown })?.text === "string"
      ? (arg as { text: string }).text
      : "";

function traced(query: QueryFn): QueryFn {
  return function (this: unknown, ...args: unknown[]) {
    // A callback-style call (the pool's own), tracing off, or outside a recorded trace (an unsampled request, a page): as it was.
    const span =
      typeof args[args.length - 1] === "function"
        ? undefined
        : startChildSpan(() => {
            const { operation, table } = describeCached(textOf(args[0]));
            return {
              name: table ? `${operation} ${table}` : operation,
              options: {
                kind: SpanKind.CLIENT,
                attributes: {
                  "db.system.name": "postgresql",
                  "db.operation.name": operation,
                  ...(table ? { "db.collection.name": table } : {}),
                },
              },
            };
          });
    if (!span) return query.apply(this, args);
    const result = query.apply(this, args) as Promise<{ rowCount?: number | null }> | undefined;
    // A submittable (a cursor, a query stream) is returned as it is, not a promise: nothing to time.
    if (typeof result?.then !== "function") {
      span.end();
      return result;
    }
    return result.then(
      (res) => {
        if (typeof res?.rowCount === "number") span.setAttribute("db.response.returned_rows", res.rowCount);
        span.end();
        return res;
      },
      (err: unknown) => {
        span.setStatus({ code: SpanStatusCode.ERROR });
        const code = (err as { code?: unknown })?.code;
        span.setAttribute("error.type", typeof code === "string" ? code : "query_failed");
        span.end();
        throw err;
      },
    );
  };
}

/** Traces `pool.query` and the `query` of every client it connects (a flag test per statement while tracing is off). */
export function traceQueries(pool: ConnectingPool): void {
  pool.query = traced(pool.query);
  pool.on("connect", (client) => {
    client.query = traced(client.query);
  });
}
