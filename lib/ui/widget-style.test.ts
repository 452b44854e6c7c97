import { describe, expect, it } from "vitest";
import { boxStyle, cssColor, cssLength, cssSpace, safeUrl, spacingSides } from "./widget-style";

describe("widget styles", () => {
  it("maps colour tokens onto the page palette per theme, keeps plain CSS colours, drops anything else", () => {
    expect(cssColor("secondary", "light")).toBe("var(--muted)");
    expect(cssColor("success", "dark")).toBe("#86efac");
    expect(cssColor({ light: "#fff", dark: "#000" }, "dark")).toBe("#000");
    expect(cssColor("#4f46e5", "light")).toBe("#4f46e5");
    expect(cssColor("rgb(1, 2, 3)", "light")).toBe("rgb(1, 2, 3)");
    expect(cssColor("red;background:url(https://evil)", "light")).toBeUndefined();
    expect(cssColor(42, "light")).toBeUndefined();
  });

  it("reads sizes as pixels and spacing as 4px steps; only plain CSS lengths pass through", () => {
    expect(cssLength(120)).toBe("120px");
    expect(cssLength("50%")).toBe("50%");
    expect(cssLength("calc(1px)")).toBeUndefined();
    expect(cssSpace(2)).toBe("0.5rem");
    expect(spacingSides({ x: 4, top: 1 })).toEqual({ top: "0.25rem", right: "1rem", bottom: undefined, left: "1rem" });
    expect(spacingSides(3)).toEqual({ top: "0.75rem", right: "0.75rem", bottom: "0.75rem", left: "0.75rem" });
  });

  it("a Row's props become a flex row with its gap, alignment and background", () => {
    const style = boxStyle(
      { type: "Row", gap: 2, align: "center", justify: "between", background: "surface" },
      "row",
      "light",
    );
    expect(style).toMatchObject({
      display: "flex",
      flexDirection: "row",
      gap: "0.5rem",
      alignItems: "center",
      justifyContent: "space-between",
      background: "var(--card)",
    });
    expect(boxStyle({ type: "Box", justify: "sideways" }, "column", "light").justifyContent).toBeUndefined();
  });

  it("only http(s) and same-site paths are used as image or link addresses", () => {
    expect(safeUrl("https://example.com/a.png")).toBe("https://example.com/a.png");
    expect(safeUrl("/api/x")).toBe("/api/x");
    expect(safeUrl("//evil.example/x")).toBeUndefined();
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("data:image/png;base64,AAAA")).toBeUndefined();
  });
});
