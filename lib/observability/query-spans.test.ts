import { describe, expect, it } from "vitest";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describeStatement, traceQueries } from "./query-spans";
import { installTracer, withActiveSpan } from "./tracing";

describe("describeStatement", () => {
  it("names the operation and the table of the statements drizzle writes", () => {
    expect(describeStatement('select "id", "text" from "facts" where "facts"."user_id" = $1')).toEqual({
      operation: "SELECT",
      table: "facts",
    });
    expect(describeStatement('insert into "chatkit_items" ("id") values ($1)')).toEqual({
      operation: "INSERT",
      table: "chatkit_items",
    });
    expect(describeStatement('update "users" set "name" = $1 where "users"."id" = $2')).toEqual({
      operation: "UPDATE",
      table: "users",
    });
    expect(describeStatement('delete from "facts" where "facts"."id" = $1')).toEqual({
      operation: "DELETE",
      table: "facts",
    });
  });

  it("names a statement with common table expressions by its first write, and takes unquoted names", () => {
    const cte = `with wanted as (select a.id from chatkit_attachments a where a.user_id = $1),
      thread as (insert into chatkit_threads (id) select $2 returning id),
      claimed as (update chatkit_attachments a set thread_id = thread.id from thread returning a.id)
      select 1`;
    expect(describeStatement(cte)).toEqual({ operation: "INSERT", table: "chatkit_threads" });
    expect(describeStatement("with t as (select id from facts) select count(*) from t")).toEqual({
      operation: "SELECT",
      table: "facts",
    });
    expect(describeStatement("update email_jobs set attempts = attempts + 1")).toEqual({
      operation: "UPDATE",
      table: "email_jobs",
    });
  });

  it("falls back to the first keyword, and never returns any of the statement's values", () => {
    expect(describeStatement("  begin")).toEqual({ operation: "BEGIN" });
    expect(describeStatement("select pg_advisory_xact_lock($1)")).toEqual({ operation: "SELECT" });
    expect(describeStatement("")).toEqual({ operation: "QUERY" });
    expect(describeStatement("select 'secret words' as x")).toEqual({ operation: "SELECT" });
  });
});

describe("traceQueries", () => {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer("test");

  function fakePool(answer: (...args: unknown[]) => unknown) {
    const listeners: ((client: { query: (...args: unknown[]) => unknown }) => void)[] = [];
    const pool = {
      query: answer,
      on: (_event: "connect", listener: (client: { query: (...args: unknown[]) => unknown }) => void) =>
        listeners.push(listener),
    };
    traceQueries(pool);
    return {
      pool,
      connect: (client: { query: (...args: unknown[]) => unknown }) => listeners.forEach((l) => l(client)),
    };
  }

  it("in a recorded trace, leaves every answer as the driver gave it (rows, errors, a cursor, a callback call) and makes a span per promised statement", async () => {
    installTracer(tracer);
    const root = tracer.startSpan("request");
    try {
      await withActiveSpan(root, () => answers());
      // The cursor's span ends at once: a submittable is not a promise, so there is nothing to time.
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["SELECT facts", "SELECT", "QUERY"]);
      expect(exporter.getFinishedSpans()[1]!.attributes["error.type"]).toBe("57P01");
    } finally {
      installTracer(undefined);
    }
  });

  it("outside a recorded span (a page's query), a statement goes through without a span", async () => {
    installTracer(tracer);
    exporter.reset();
    try {
      const rows = { rows: [], rowCount: 0 };
      const { pool } = fakePool(async () => rows);
      await expect(pool.query("select 1")).resolves.toBe(rows);
      expect(exporter.getFinishedSpans()).toEqual([]);
    } finally {
      installTracer(undefined);
    }
  });

  async function answers() {
    {
      const rows = { rows: [{ id: 1 }], rowCount: 1 };
      const { pool } = fakePool(async () => rows);
      await expect(pool.query('select "id" from "facts"')).resolves.toBe(rows);

      const failure = Object.assign(new Error("boom"), { code: "57P01" });
      const { pool: failing } = fakePool(async () => {
        throw failure;
      });
      await expect(failing.query("select 1")).rejects.toBe(failure);

      const cursor = { submit() {} };
      const client = { query: (..._args: unknown[]) => cursor as unknown };
      const { connect } = fakePool(async () => rows);
      connect(client);
      expect(client.query(cursor)).toBe(cursor);

      const callback = () => undefined;
      const seen: unknown[][] = [];
      const viaCallback = { query: (...args: unknown[]) => seen.push(args) };
      connect(viaCallback);
      viaCallback.query("select 1", [], callback);
      expect(seen).toEqual([["select 1", [], callback]]);
    }
  }
});
