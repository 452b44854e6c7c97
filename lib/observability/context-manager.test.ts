import { describe, expect, it } from "vitest";
import { createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { RequestFrameContextManager } from "./context-manager";
import { currentRequestContext, newRequestContext, runWithRequestContext } from "./request-context";

const KEY = createContextKey("test key");
const manager = new RequestFrameContextManager();
const request = () => newRequestContext(new Request("http://app.test/chatkit?token=x", { method: "POST" }), "req-1");

describe("RequestFrameContextManager", () => {
  it("is the root context outside any `with`, and the given context inside it, across awaits", async () => {
    expect(manager.active()).toBe(ROOT_CONTEXT);
    const ctx = ROOT_CONTEXT.setValue(KEY, "inner");
    const seen = await manager.with(ctx, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return manager.active().getValue(KEY);
    });
    expect(seen).toBe("inner");
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });

  it("entering a trace context keeps the request's record, and entering a request keeps the trace context", () => {
    const ctx = ROOT_CONTEXT.setValue(KEY, "trace");
    runWithRequestContext(request(), () => {
      manager.with(ctx, () => {
        expect(currentRequestContext()?.requestId).toBe("req-1");
        expect(currentRequestContext()?.route).toBe("/chatkit");
      });
    });
    manager.with(ctx, () => {
      runWithRequestContext(request(), () => {
        expect(manager.active().getValue(KEY)).toBe("trace");
        expect(currentRequestContext()?.requestId).toBe("req-1");
      });
    });
  });

  it("passes `this` and arguments through, and a bound function runs in its context wherever it is called", () => {
    const ctx = ROOT_CONTEXT.setValue(KEY, "bound");
    const target = { n: 2 };
    expect(
      manager.with(
        ctx,
        function (this: typeof target, a: number) {
          return this.n * a;
        },
        target,
        21,
      ),
    ).toBe(42);
    const bound = manager.bind(ctx, (x: string) => `${String(manager.active().getValue(KEY))}:${x}`);
    expect(bound("call")).toBe("bound:call");
    const notAFunction = { on: () => undefined };
    expect(manager.bind(ctx, notAFunction)).toBe(notAFunction);
  });
});
