"use client";

/**
 * The built-in chat: our own client of the ChatKit protocol, used when ChatKit's component
 * cannot load (or when CHAT_UI=builtin). History beside the thread on wide screens, in a
 * drawer on phones; the open thread is kept in the address (`?thread=`), so it survives a reload.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import type { ThreadItem, ThreadMetadata } from "@/lib/chatkit/types";
import { createClientToolHandler } from "@/lib/ui/client-tools";
import { readThreadParam, writeThreadParam } from "@/lib/ui/thread-url";
import { setTheme } from "@/lib/ui/theme";
import { useTheme } from "@/lib/ui/use-theme";
import { Composer } from "./composer";
import { ErrorNotice, Notices } from "./error-notice";
import { HistoryPanel } from "./history-panel";
import { Icon } from "./icons";
import { assistantText, ThreadItemView, TypingDots, type ItemActions } from "./message-list";
import { StartScreen } from "./start-screen";
import { useChatThread } from "./use-chat-thread";
import { useThreadHistory } from "./use-thread-history";
import { summarizeWidget, widgetSentence } from "./widgets/summary";

export type BuiltinChatProps = {
  fetchImpl: typeof fetch;
  onFactsMayHaveChanged: () => void;
  onRecordFact: (fact: { id: string; text: string }) => void;
  /** A line above the thread (e.g. why this is the built-in chat). */
  note?: ReactNode;
};

export default function BuiltinChat({ fetchImpl, onFactsMayHaveChanged, onRecordFact, note }: BuiltinChatProps) {
  const theme = useTheme();
  const history = useThreadHistory(fetchImpl);
  const { upsert: upsertHistory, refresh: refreshHistory } = history;
  const onClientTool = useMemo(() => createClientToolHandler({ setTheme, recordFact: onRecordFact }), [onRecordFact]);
  const onThreadChange = useCallback(
    (thread: ThreadMetadata | null) => {
      writeThreadParam(thread?.id ?? null);
      if (thread) upsertHistory({ id: thread.id, title: thread.title ?? null, created_at: thread.created_at });
    },
    [upsertHistory],
  );
  const chat = useChatThread({ fetchImpl, onClientTool, onTurnEnd: onFactsMayHaveChanged, onThreadChange });
  const { view, load } = chat;
  const composer = useRef<HTMLTextAreaElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const [drawer, setDrawer] = useState(false);
  const drawerRef = useRef<HTMLElement>(null);
  const drawerOpener = useRef<HTMLButtonElement>(null);
  const closeDrawer = useCallback(() => {
    setDrawer(false);
    drawerOpener.current?.focus();
  }, []);
  // The opened drawer takes the focus (its first control), as a dialog does.
  useEffect(() => {
    if (drawer) focusables(drawerRef.current)[0]?.focus();
  }, [drawer]);
  const [announcement, setAnnouncement] = useState("");

  // First paint: the thread named in the address (a reload), and the history list.
  const { open } = chat;
  useEffect(() => {
    const id = readThreadParam();
    if (id) void open(id);
    void refreshHistory();
  }, [open, refreshHistory]);

  // Follow the reply while the reader is at the bottom; leave them be when they scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [view.items, view.streaming, view.error]);

  // Screen readers hear that a reply started and, once it has settled, what it brought: the new
  // reply whole (never token by token), a card it showed, or how a card changed ("Saved: …").
  const wasStreaming = useRef(false);
  const before = useRef<{ replies: Map<string, string>; widgets: Map<string, string> } | null>(null);
  useEffect(() => {
    if (view.streaming && !wasStreaming.current) {
      before.current = spokenItems(view.items);
    }
    if (!view.streaming && wasStreaming.current) {
      const earlier = before.current ?? { replies: new Map(), widgets: new Map() };
      const now = spokenItems(view.items);
      const replies = [...now.replies].filter(([id, text]) => text && earlier.replies.get(id) !== text);
      const widgets = [...now.widgets].filter(([id, text]) => text && earlier.widgets.get(id) !== text);
      const said = [
        ...replies.map(([, text]) => `Assistant: ${text.slice(0, 600)}`),
        ...widgets.map(([, text]) => text),
      ].join(" ");
      setAnnouncement(view.error ? "The reply failed." : said || "The reply has finished.");
    }
    wasStreaming.current = view.streaming;
  }, [view.streaming, view.items, view.error]);

  const focusComposer = () => composer.current?.focus();
  // A thread opened from the history hands the focus to the composer once it has loaded (the
  // composer is disabled while it loads, so focusing it earlier does nothing).
  const focusAfterLoad = useRef(false);
  useEffect(() => {
    if (load.status === "loading" || !focusAfterLoad.current) return;
    focusAfterLoad.current = false;
    composer.current?.focus();
  }, [load.status]);
  /** Said when the person sends something, not when a card action runs. */
  const replying = () => setAnnouncement("The assistant is replying…");

  const lastUserIndex = view.items.findLastIndex((i) => i.type === "user_message");
  const lastReplyIndex = view.items.findLastIndex((i) => i.type === "assistant_message");
  const { retry, act, feedback } = chat;
  const onAction = useCallback<ItemActions["onAction"]>(
    (itemId, config, key, values) => {
      void act(itemId, config, key, values).then(() => {
        // The control that was pressed is usually gone (the card settled): keep focus on the card.
        if (!document.activeElement || document.activeElement === document.body) {
          document.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(itemId)}"]`)?.focus();
        }
      });
    },
    [act],
  );
  const onRetry = useCallback(() => {
    setAnnouncement("The assistant is replying…");
    void retry();
    focusComposer();
  }, [retry]);
  const actions = useMemo<ItemActions>(
    () => ({ theme, pendingAction: chat.pendingAction, onAction, onFeedback: feedback, onRetry }),
    [theme, chat.pendingAction, onAction, feedback, onRetry],
  );

  const title = view.thread ? view.thread.title?.trim() || "New chat" : "New chat";
  const empty = view.items.length === 0 && !view.streaming && load.status !== "loading";
  const lastItem = view.items[view.items.length - 1];
  const waiting =
    view.streaming && (!lastItem || lastItem.type !== "assistant_message" || lastItem.content.length === 0);

  const startNew = () => {
    chat.reset();
    setDrawer(false);
    focusComposer();
  };
  const historyPanel = (
    <HistoryPanel
      history={history}
      currentId={view.thread?.id ?? null}
      onOpen={(id) => {
        setDrawer(false);
        focusAfterLoad.current = true;
        void chat.open(id).then(focusComposer);
      }}
      onNew={startNew}
      onDeleted={(id) => {
        if (id === view.thread?.id) startNew();
      }}
      onRenamed={chat.retitle}
    />
  );

  return (
    <div
      data-testid="builtin-chat"
      data-streaming={view.streaming}
      className="relative flex h-full min-h-0 w-full overflow-hidden bg-[var(--card)]"
    >
      {/* One history list: a column on wide screens, a drawer over the thread on phones. */}
      {/* On phones the open drawer is a modal dialog: it holds the focus until Escape or a choice closes it. */}
      <aside
        ref={drawerRef}
        role={drawer ? "dialog" : undefined}
        aria-modal={drawer || undefined}
        aria-label={drawer ? "Chat history" : undefined}
        onKeyDown={drawer ? (event) => trapDrawerFocus(event, drawerRef.current, closeDrawer) : undefined}
        className={`shrink-0 border-r border-[var(--border)] bg-[var(--card)] md:static md:block md:w-[min(15rem,22vw)] md:max-w-none md:shadow-none ${
          drawer ? "absolute inset-y-0 left-0 z-20 block w-72 max-w-[85%] shadow-xl" : "hidden"
        }`}
      >
        {drawer && (
          <div className="flex justify-end px-2 pt-2 md:hidden">
            <button
              type="button"
              onClick={closeDrawer}
              className="rounded-lg px-2 py-1 text-sm font-medium text-[var(--muted)] hover:bg-[var(--bg)]"
            >
              Close
            </button>
          </div>
        )}
        {historyPanel}
      </aside>
      {drawer && (
        <button
          type="button"
          tabIndex={-1}
          aria-label="Close chat history"
          className="absolute inset-0 z-10 bg-black/30 md:hidden"
          onClick={closeDrawer}
        />
      )}

      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-12 shrink-0 items-center gap-2 border-b border-[var(--border)] px-2 sm:px-3">
          <button
            ref={drawerOpener}
            type="button"
            className="inline-flex h-9 w-9 items-center justify-center rounded-lg text-[var(--muted)] hover:bg-[var(--bg)] focus-visible:outline-2 focus-visible:outline-[var(--accent)] md:hidden"
            aria-label="Chat history"
            aria-expanded={drawer}
            onClick={() => setDrawer((d) => !d)}
          >
            <Icon name="menu" className="h-5 w-5" />
          </button>
          <h2 className="min-w-0 flex-1 truncate text-sm font-semibold" data-testid="thread-title">
            {title}
          </h2>
          <button
            type="button"
            onClick={startNew}
            aria-label="New chat"
            title="New chat"
            className="inline-flex h-9 w-9 items-center justify-center rounded-lg text-[var(--muted)] hover:bg-[var(--bg)] focus-visible:outline-2 focus-visible:outline-[var(--accent)] md:hidden"
          >
            <Icon name="plus" className="h-5 w-5" />
          </button>
        </header>
        {note}

        <div
          ref={scroller}
          className="min-h-0 flex-1 overflow-y-auto"
          onScroll={(e) => {
            const el = e.currentTarget;
            pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
          }}
        >
          <div className="mx-auto flex max-w-3xl flex-col gap-5 px-3 py-4 sm:px-5">
            {load.status === "loading" && <ThreadSkeleton />}
            {load.status === "missing" && (
              <p role="status" className="rounded-lg bg-[var(--bg)] px-3 py-2 text-sm text-[var(--muted)]">
                That chat no longer exists. You can start a new one.
              </p>
            )}
            {empty && (
              <StartScreen
                onPick={(prompt) => {
                  replying();
                  void chat.send(prompt).then(focusComposer);
                }}
              />
            )}
            {view.items.length > 0 && (
              <ol className="flex flex-col gap-5" aria-label="Messages" data-testid="messages">
                {view.items.map((item, i) => (
                  <ThreadItemView
                    key={item.id}
                    item={item}
                    isLastReply={i === lastReplyIndex && i > lastUserIndex}
                    streaming={view.streaming}
                    actions={actions}
                  />
                ))}
              </ol>
            )}
            {waiting && (
              <div className="flex items-center gap-2 text-sm text-[var(--muted)]">
                <TypingDots />
                {view.progress?.text}
              </div>
            )}
            <Notices notices={view.notices} />
            {view.error && (
              <ErrorNotice
                error={view.error}
                onRetry={lastUserIndex >= 0 && view.thread ? onRetry : null}
                onDismiss={chat.dismissError}
              />
            )}
          </div>
        </div>

        <div className="shrink-0 px-2 pt-1 pb-2 sm:px-4 sm:pb-3">
          <div className="mx-auto max-w-3xl">
            <Composer
              ref={composer}
              busy={view.streaming}
              canStop={view.streamOptions?.allow_cancel === true}
              disabled={load.status === "loading"}
              onSend={(text) => {
                pinned.current = true;
                replying();
                void chat.send(text);
              }}
              onStop={() => {
                chat.stop();
                focusComposer();
              }}
            />
            <p className="mt-1.5 text-center text-xs text-[var(--muted)]">
              Facts are kept only after you press <strong>Save</strong> on their card.
            </p>
          </div>
        </div>
      </div>
      <div aria-live="polite" role="status" className="sr-only" data-testid="chat-announcer">
        {announcement}
      </div>
    </div>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), [tabindex="0"]';

function focusables(root: HTMLElement | null): HTMLElement[] {
  return root ? [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null) : [];
}

/** Escape closes the drawer; Tab and Shift+Tab wrap around inside it instead of leaving it. */
function trapDrawerFocus(event: KeyboardEvent<HTMLElement>, root: HTMLElement | null, close: () => void) {
  if (event.key === "Escape") {
    event.preventDefault();
    close();
    return;
  }
  if (event.key !== "Tab") return;
  const all = focusables(root);
  const first = all[0];
  const last = all[all.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/** The texts a screen reader is told about: each reply's text and each widget in words, by item id. */
function spokenItems(items: ThreadItem[]) {
  const replies = new Map<string, string>();
  const widgets = new Map<string, string>();
  for (const item of items) {
    if (item.type === "assistant_message") replies.set(item.id, assistantText(item));
    if (item.type === "widget") widgets.set(item.id, widgetSentence(summarizeWidget(item.widget)));
  }
  return { replies, widgets };
}

function ThreadSkeleton() {
  return (
    <div aria-label="Loading the chat" role="status" className="flex flex-col gap-5">
      <div className="ml-auto h-10 w-1/2 animate-pulse rounded-2xl bg-[var(--bg)]" />
      <div className="h-16 w-3/4 animate-pulse rounded-xl bg-[var(--bg)]" />
      <div className="ml-auto h-10 w-1/3 animate-pulse rounded-2xl bg-[var(--bg)]" />
      <div className="h-24 w-2/3 animate-pulse rounded-xl bg-[var(--bg)]" />
    </div>
  );
}
