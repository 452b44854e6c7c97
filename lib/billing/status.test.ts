import { describe, expect, it } from "vitest";
import { microAgentStatusFor } from "./status";

describe("Stripe subscription status → micro-agent status", () => {
  it.each([
    ["active", "active"],
    ["trialing", "active"],
    ["incomplete", "pending"],
    ["past_due", "past_due"],
    ["unpaid", "past_due"],
    ["paused", "past_due"],
    ["incomplete_expired", "canceled"],
    ["canceled", "canceled"],
  ])("maps %s to %s", (stripe, ours) => {
    expect(microAgentStatusFor(stripe)).toBe(ours);
  });

  it("answers null for a status it does not know (including prototype keys), so the caller keeps its state", () => {
    expect(microAgentStatusFor("something_new")).toBeNull();
    expect(microAgentStatusFor("constructor")).toBeNull();
    expect(microAgentStatusFor("toString")).toBeNull();
  });
});
