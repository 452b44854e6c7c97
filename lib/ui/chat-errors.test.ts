import { describe, expect, it } from "vitest";
import { ChatKitHttpError, StreamCutError } from "@/lib/chatkit-client";
import { chatErrorOf, describeChatError } from "./chat-errors";

describe("what the built-in chat says about a failed turn", () => {
  it("a dropped connection is told apart from the server's own error, and both may be retried", () => {
    const cut = describeChatError(chatErrorOf(new StreamCutError("body_error")));
    expect(cut).toMatchObject({ kind: "connection", retry: true });
    expect(cut.title).toMatch(/connection/i);
    const server = describeChatError({ code: "stream.error", message: "The model failed.", allowRetry: true });
    expect(server).toMatchObject({ kind: "server", body: "The model failed.", retry: true });
  });

  it("the per-user turn quota (HTTP 429) says it is a limit and shows the server's words", () => {
    const copy = describeChatError(
      chatErrorOf(new ChatKitHttpError(429, "turn_quota", "50 replies an hour; try again at 14:00.")),
    );
    expect(copy.kind).toBe("limit");
    expect(copy.title).toMatch(/limit/i);
    expect(copy.body).toBe("50 replies an hour; try again at 14:00.");
  });

  it("an error the server says cannot be retried offers no Retry", () => {
    expect(
      describeChatError({ code: "custom", message: "This action is not supported.", allowRetry: false }).retry,
    ).toBe(false);
  });

  it("the turn quota's error event (a custom error in the server's words) is shown as a limit", () => {
    const copy = describeChatError({
      code: "custom",
      message: "You have reached today's message limit. Please come back tomorrow.",
      allowRetry: false,
    });
    expect(copy).toMatchObject({ kind: "limit", retry: false });
    expect(copy.body).toMatch(/today's message limit/);
  });
});
