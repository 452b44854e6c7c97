"use client";

import { forwardRef, useState, type KeyboardEvent } from "react";
import { COMPOSER_PLACEHOLDER } from "@/lib/ui/chatkit-options";
import { Icon } from "./icons";

/** The message box: Enter sends, Shift+Enter adds a line; Stop replaces Send while a reply streams. */
export const Composer = forwardRef<
  HTMLTextAreaElement,
  {
    busy: boolean;
    canStop: boolean;
    disabled?: boolean;
    onSend: (text: string) => void;
    onStop: () => void;
  }
>(function Composer({ busy, canStop, disabled, onSend, onStop }, ref) {
  const [text, setText] = useState("");
  const submit = () => {
    if (busy || disabled || !text.trim()) return;
    onSend(text);
    setText("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form
      className="flex items-end gap-2 rounded-2xl border border-[var(--border)] bg-[var(--card)] p-2 shadow-sm focus-within:border-[var(--accent)]"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor="chat-composer" className="sr-only">
        Message
      </label>
      <textarea
        id="chat-composer"
        ref={ref}
        rows={1}
        value={text}
        disabled={disabled}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        placeholder={COMPOSER_PLACEHOLDER}
        aria-describedby="chat-composer-hint"
        className="field-sizing-content max-h-48 min-h-10 flex-1 resize-none bg-transparent px-2 py-2 text-[15px] text-[var(--fg)] placeholder:text-[var(--muted)] focus:outline-none disabled:opacity-60"
      />
      <span id="chat-composer-hint" className="sr-only">
        Enter sends, Shift+Enter starts a new line.
      </span>
      {busy && canStop ? (
        <button
          type="button"
          onClick={onStop}
          aria-label="Stop the reply"
          title="Stop"
          className="inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-xl bg-[var(--fg)] text-[var(--card)] hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]"
        >
          <Icon name="stop" className="h-4 w-4" />
        </button>
      ) : (
        <button
          type="submit"
          aria-label="Send message"
          title="Send"
          disabled={busy || disabled || !text.trim()}
          className="inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-xl bg-[var(--accent)] text-[var(--on-accent)] hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)] disabled:cursor-not-allowed disabled:opacity-40"
        >
          <Icon name="send" className="h-5 w-5" />
        </button>
      )}
    </form>
  );
});
