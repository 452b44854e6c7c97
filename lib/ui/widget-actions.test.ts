import { describe, expect, it } from "vitest";
import { actionToSend, loadingScope, readActionConfig } from "./widget-actions";

describe("widget actions", () => {
  it("reads an ActionConfig with the protocol's defaults, and refuses one without a type", () => {
    expect(readActionConfig({ type: "fact.save", payload: { fact_id: "f1" } })).toEqual({
      type: "fact.save",
      payload: { fact_id: "f1" },
      handler: "server",
      loadingBehavior: "auto",
      streaming: true,
    });
    expect(readActionConfig({ type: "" })).toBeNull();
    expect(readActionConfig({ handler: "client" })).toBeNull();
    expect(readActionConfig("fact.save")).toBeNull();
    expect(readActionConfig({ type: "x", handler: "elsewhere" })).toBeNull();
  });

  it("sends the payload as written, with a control's or form's values merged in", () => {
    const config = readActionConfig({ type: "pick", payload: { list: "a" } })!;
    expect(actionToSend(config)).toEqual({ type: "pick", payload: { list: "a" } });
    expect(actionToSend(config, { colour: "red" })).toEqual({ type: "pick", payload: { list: "a", colour: "red" } });
    expect(actionToSend(readActionConfig({ type: "bare" })!)).toEqual({ type: "bare" });
    expect(actionToSend(readActionConfig({ type: "n", payload: 3 })!, { on: true })).toEqual({
      type: "n",
      payload: { value: 3, on: true },
    });
  });

  it("auto loading shows on the control itself; container and none are honoured", () => {
    expect(loadingScope(readActionConfig({ type: "a" })!)).toBe("self");
    expect(loadingScope(readActionConfig({ type: "a", loadingBehavior: "container" })!)).toBe("container");
    expect(loadingScope(readActionConfig({ type: "a", loadingBehavior: "none" })!)).toBe("none");
  });
});
