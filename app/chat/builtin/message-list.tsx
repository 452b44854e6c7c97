"use client";

import { memo, useState } from "react";
import { RECORD_FACT, SWITCH_THEME } from "@/lib/ui/client-tool-names";
import type { Annotation, AssistantMessageItem, FeedbackKind, ThreadItem, UserMessageItem } from "@/lib/chatkit/types";
import type { Theme } from "@/lib/ui/theme";
import type { WidgetActionConfig } from "@/lib/ui/widget-actions";
import { safeUrl } from "@/lib/ui/widget-style";
import { Icon } from "./icons";
import { LazyMarkdown } from "./lazy-markdown";
import { WidgetView, type PendingAction } from "./widgets/widget-view";

export type ItemActions = {
  theme: Theme;
  pendingAction: { itemId: string; action: PendingAction } | null;
  onAction: (itemId: string, config: WidgetActionConfig, key: string, values?: Record<string, unknown>) => void;
  onFeedback: (itemIds: string[], kind: FeedbackKind) => Promise<boolean>;
  onRetry: (() => void) | null;
};

export function userText(item: UserMessageItem): string {
  return item.content.map((c) => c.text).join(" ");
}

export function assistantText(item: AssistantMessageItem): string {
  return item.content.map((c) => c.text).join("\n\n");
}

/** One thread item, as the person sees it; items the protocol keeps hidden render nothing. */
export const ThreadItemView = memo(function ThreadItemView({
  item,
  isLastReply,
  streaming,
  actions,
}: {
  item: ThreadItem;
  isLastReply: boolean;
  streaming: boolean;
  actions: ItemActions;
}) {
  switch (item.type) {
    case "user_message":
      return (
        <li data-testid="user-message" className="flex justify-end">
          <div className="max-w-[85%] rounded-2xl rounded-br-md bg-[var(--accent)] px-4 py-2 text-[15px] whitespace-pre-wrap break-words text-[var(--on-accent)]">
            {item.quoted_text && (
              <p className="mb-1 border-l-2 border-white/50 pl-2 text-sm opacity-80">{item.quoted_text}</p>
            )}
            <span className="sr-only">You said: </span>
            {userText(item)}
          </div>
        </li>
      );
    case "assistant_message":
      return <AssistantMessage item={item} isLastReply={isLastReply} streaming={streaming} actions={actions} />;
    case "widget":
      return (
        <li data-testid="widget-item" data-item-id={item.id} tabIndex={-1} className="outline-none">
          <WidgetView
            itemId={item.id}
            widget={item.widget}
            theme={actions.theme}
            pending={actions.pendingAction?.itemId === item.id ? actions.pendingAction.action : null}
            busy={streaming}
            onAction={actions.onAction}
          />
        </li>
      );
    case "client_tool_call":
      return (
        <li className="flex items-center gap-1.5 text-xs text-[var(--muted)]" data-testid="client-tool-call">
          <Icon name={item.status === "completed" ? "check" : "bolt"} className="h-3.5 w-3.5" />
          {item.status === "completed"
            ? `Done in your browser: ${toolLabel(item.name)}`
            : `Working in your browser: ${toolLabel(item.name)}…`}
        </li>
      );
    case "workflow":
      return (
        <li>
          <details className="rounded-lg border border-[var(--border)] px-3 py-2 text-sm" open={item.workflow.expanded}>
            <summary className="cursor-pointer text-[var(--muted)]">
              {item.workflow.summary && "title" in item.workflow.summary
                ? item.workflow.summary.title
                : item.workflow.type === "reasoning"
                  ? "Thought it through"
                  : "Steps"}
            </summary>
            <ul className="mt-2 space-y-1">
              {item.workflow.tasks.map((task, i) => (
                <li key={i} className="text-[var(--muted)]">
                  {task.title ?? ("content" in task && typeof task.content === "string" ? task.content : task.type)}
                </li>
              ))}
            </ul>
          </details>
        </li>
      );
    case "task":
      return (
        <li className="text-sm text-[var(--muted)]">
          {item.task.title ??
            ("content" in item.task && typeof item.task.content === "string" ? item.task.content : "")}
        </li>
      );
    case "generated_image": {
      const src = safeUrl(item.image?.url);
      return (
        <li>
          {src ? (
            // eslint-disable-next-line @next/next/no-img-element
            <img src={src} alt="Generated image" className="max-h-96 rounded-xl border border-[var(--border)]" />
          ) : (
            <div className="h-48 w-48 animate-pulse rounded-xl bg-[var(--bg)]" aria-label="Generating an image" />
          )}
        </li>
      );
    }
    case "structured_input":
      return (
        <li className="rounded-lg border border-dashed border-[var(--border)] px-3 py-2 text-sm text-[var(--muted)]">
          {item.inputs.map((input) => input.question).join(" · ")}
        </li>
      );
    default:
      // end_of_turn and hidden context items are never shown.
      return null;
  }
});

function toolLabel(name: string): string {
  if (name === SWITCH_THEME) return "switched the theme";
  if (name === RECORD_FACT) return "noted a fact";
  return name.replace(/_/g, " ");
}

function AssistantMessage({
  item,
  isLastReply,
  streaming,
  actions,
}: {
  item: AssistantMessageItem;
  isLastReply: boolean;
  streaming: boolean;
  actions: ItemActions;
}) {
  const text = assistantText(item);
  const sources = uniqueSources(item.content.flatMap((c) => c.annotations ?? []));
  const live = streaming && isLastReply;
  return (
    <li data-testid="assistant-message" data-item-id={item.id} className="group flex flex-col gap-1">
      <div className="max-w-full text-[15px] leading-relaxed break-words" aria-busy={live || undefined}>
        <span className="sr-only">Assistant said: </span>
        {text ? <LazyMarkdown text={text} /> : live ? <TypingDots /> : null}
      </div>
      {sources.length > 0 && (
        <div className="mt-1 flex flex-wrap gap-1.5" aria-label="Sources">
          {sources.map((s, i) => {
            const href = s.source.type === "url" ? safeUrl(s.source.url) : undefined;
            const label = s.source.title || (s.source.type === "file" ? s.source.filename : "Source");
            return href ? (
              <a
                key={i}
                href={href}
                target="_blank"
                rel="noopener noreferrer"
                className="inline-flex max-w-56 items-center gap-1 truncate rounded-full border border-[var(--border)] px-2 py-0.5 text-xs text-[var(--muted)] hover:text-[var(--fg)]"
              >
                <Icon name="globe" className="h-3 w-3" />
                {label}
              </a>
            ) : (
              <span
                key={i}
                className="inline-flex max-w-56 items-center gap-1 truncate rounded-full border border-[var(--border)] px-2 py-0.5 text-xs text-[var(--muted)]"
              >
                <Icon name="document" className="h-3 w-3" />
                {label}
              </span>
            );
          })}
        </div>
      )}
      {!live && text && <MessageActions item={item} text={text} isLastReply={isLastReply} actions={actions} />}
    </li>
  );
}

function uniqueSources(annotations: Annotation[]): Annotation[] {
  const seen = new Set<string>();
  return annotations.filter((a) => {
    const key = a.source.type === "url" ? a.source.url : `${a.source.type}:${a.source.title}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The two verdicts a reply can get, as the thumbs buttons show them. */
const RATINGS = [
  { kind: "positive", label: "Good reply", icon: "thumbs-up" },
  { kind: "negative", label: "Bad reply", icon: "thumbs-down" },
] as const satisfies readonly { kind: FeedbackKind; label: string; icon: string }[];

function MessageActions({
  item,
  text,
  isLastReply,
  actions,
}: {
  item: AssistantMessageItem;
  text: string;
  isLastReply: boolean;
  actions: ItemActions;
}) {
  const [copied, setCopied] = useState(false);
  const [rated, setRated] = useState<FeedbackKind | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const button =
    "inline-flex h-8 w-8 items-center justify-center rounded-md text-[var(--muted)] hover:bg-[var(--bg)] hover:text-[var(--fg)] focus-visible:outline-2 focus-visible:outline-[var(--accent)] aria-pressed:text-[var(--accent)]";
  const rate = async (kind: FeedbackKind) => {
    const ok = await actions.onFeedback([item.id], kind);
    if (ok) setRated(kind);
    setNote(ok ? "Thanks for the feedback." : "Your feedback could not be sent.");
  };
  return (
    <div
      className={`flex items-center gap-0.5 ${isLastReply ? "" : "opacity-100 sm:opacity-0 sm:group-focus-within:opacity-100 sm:group-hover:opacity-100"}`}
    >
      <button
        type="button"
        className={button}
        aria-label={copied ? "Copied" : "Copy reply"}
        title="Copy"
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(
            () => setCopied(true),
            () => setNote("Copying is not allowed here."),
          );
        }}
      >
        <Icon name={copied ? "check" : "copy"} />
      </button>
      {RATINGS.map(({ kind, label, icon }) => (
        <button
          key={kind}
          type="button"
          className={button}
          aria-label={label}
          title={label}
          aria-pressed={rated === kind}
          onClick={() => void rate(kind)}
        >
          <Icon name={icon} />
        </button>
      ))}
      {isLastReply && actions.onRetry && (
        <button type="button" className={button} aria-label="Retry reply" title="Retry" onClick={actions.onRetry}>
          <Icon name="retry" />
        </button>
      )}
      {note && (
        <span role="status" className="ml-1 text-xs text-[var(--muted)]">
          {note}
        </span>
      )}
    </div>
  );
}

export function TypingDots() {
  return (
    <span className="inline-flex items-center gap-1 py-2" aria-label="The assistant is writing">
      {[0, 1, 2].map((i) => (
        <span
          key={i}
          className="h-1.5 w-1.5 animate-bounce rounded-full bg-[var(--muted)]"
          style={{ animationDelay: `${i * 120}ms` }}
        />
      ))}
    </span>
  );
}
