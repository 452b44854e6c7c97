import { describe, expect, it } from "vitest";
import { isIconName } from "./icons";

describe("icon names (PROTOCOL.md §4.5)", () => {
  it("I1: a vendor-prefixed name is valid", () => {
    expect(isIconName("vendor:icon-name")).toBe(true);
    expect(isIconName("lucide:arrow-up-right")).toBe(true);
  });
  it("I2: literal names such as book-open, phone and user are valid", () => {
    for (const name of ["book-open", "phone", "user", "write-alt2"]) expect(isIconName(name)).toBe(true);
  });
  it("I3: an unknown literal name is rejected", () => {
    for (const name of ["invalid-icon", "", "vendor:", "Phone", "phone "]) expect(isIconName(name)).toBe(false);
  });
});
