import { describe, expect, it } from "vitest";
import { diagnostics, subscribeDiagnostics, type Diagnostics } from "./diagnostics";

function recorder() {
  const seen: unknown[][] = [];
  const host: Diagnostics = {
    error: (message, err) => seen.push(["error", message, err]),
    firstEvent: () => seen.push(["firstEvent"]),
    failed: (errorClass, options) => seen.push(["failed", errorClass, options?.ifUnset]),
  };
  return { seen, host };
}

describe("ChatKit diagnostics", () => {
  it("reach the subscribed host, each report once, with what the pipeline said", () => {
    const { seen, host } = recorder();
    subscribeDiagnostics(host);
    const err = new Error("boom");
    diagnostics.error("stream pipeline failed", err);
    diagnostics.firstEvent();
    diagnostics.failed("store_write");
    diagnostics.failed("custom", { ifUnset: true });
    expect(seen).toEqual([
      ["error", "stream pipeline failed", err],
      ["firstEvent"],
      ["failed", "store_write", false],
      ["failed", "custom", true],
    ]);
  });

  it("go to the latest host only when a host subscribes again (no report twice)", () => {
    const first = recorder();
    const second = recorder();
    subscribeDiagnostics(first.host);
    subscribeDiagnostics(second.host);
    diagnostics.failed("pipeline");
    expect(first.seen).toEqual([]);
    expect(second.seen).toEqual([["failed", "pipeline", false]]);
  });
});
