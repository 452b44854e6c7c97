import { describe, expect, it } from "vitest";
import { rejectMalformedPath } from "./path-guard";

const at = (path: string) => rejectMalformedPath(new Request(`http://app${path}`, { method: "POST" }));

describe("rejectMalformedPath", () => {
  it.each([
    "/facts/%zz/save",
    "/facts/%ff%fe/discard",
    "/api/microagents/%ED%A0%80/cancel",
    "/chatkit/attachments/%E2%80/content",
  ])("answers broken percent-encoding in %s with a 400 JSON error", async (path) => {
    const res = at(path);
    expect(res?.status).toBe(400);
    expect(await res?.json()).toEqual({
      detail: "The request path has malformed percent-encoding",
      code: "invalid_path",
    });
  });

  it.each([
    "/facts/fact_0123abcd/save",
    "/chatkit/attachments/..%2F..%2Fetc%2Fpasswd/content",
    "/api/auth/oauth/%F0%9F%92%A5",
    "/facts?x=%zz",
  ])("lets a well-formed path through: %s", (path) => {
    expect(at(path)).toBeUndefined();
  });
});
