"use client";

import dynamic from "next/dynamic";
import { memo, useCallback, useMemo, type ReactNode } from "react";
import { createAuthedFetch, redirectToSignIn } from "@/lib/ui/api";
import type { ChatKitConfig, ChatUi } from "@/lib/ui/chatkit-options";
import { FactsPanel } from "./facts-panel";
import { useFacts } from "./use-facts";

function PanelLoading() {
  return (
    <div role="status" className="flex h-full items-center justify-center gap-3 text-sm text-[var(--muted)]">
      <span
        aria-hidden
        className="h-6 w-6 animate-spin rounded-full border-2 border-[var(--border)] border-t-[var(--accent)]"
      />
      Loading the chat…
    </div>
  );
}

// Each chat is its own chunk: a page with the built-in chat never downloads ChatKit's React
// bindings, and ChatKit's page downloads the built-in chat only if it has to stand in.
// ChatKit's panel is rendered on the server and hydrates when its chunk arrives. Until then an
// update from here (the facts list loading, say) would make React discard its HTML and mount it
// again, so it is memoised and given only stable props (each chat reads the theme itself).
const ChatKitPanel = memo(
  dynamic(() => import("./chatkit-panel").then((m) => m.ChatKitPanel), { loading: PanelLoading }),
);
const BuiltinChat = dynamic(() => import("./builtin/builtin-chat"), { ssr: false, loading: PanelLoading });

const PANEL = "relative h-full min-h-0 overflow-hidden rounded-xl border border-[var(--border)] bg-[var(--card)]";

/** Chat and saved facts side by side on wide screens, stacked (chat first) on phones. */
export function ChatWorkspace({ config, ui }: { config: ChatKitConfig; ui: ChatUi }) {
  const authedFetch = useMemo(() => createAuthedFetch(() => redirectToSignIn(currentPath())), []);
  const facts = useFacts(authedFetch);
  const { refresh, recordLocal } = facts;
  const hosted = config.mode === "hosted";

  const renderBuiltin = useCallback(
    (note: ReactNode) => (
      <BuiltinChat fetchImpl={authedFetch} onFactsMayHaveChanged={refresh} onRecordFact={recordLocal} note={note} />
    ),
    [authedFetch, refresh, recordLocal],
  );
  const standIn = ui === "auto";
  const builtin = useMemo(
    () => (hosted ? undefined : { render: renderBuiltin, standIn }),
    [hosted, renderBuiltin, standIn],
  );

  return (
    <main className="mx-auto grid w-full max-w-7xl flex-1 gap-3 p-3 sm:gap-4 sm:p-4 lg:h-[calc(100dvh-3.5rem)] lg:grid-cols-[minmax(0,1fr)_min(22rem,30vw)]">
      {/* The page's title for screen readers; the thread's title is the chat's own heading. */}
      <h1 className="sr-only">Chat</h1>
      <div className="flex h-[72dvh] min-h-[28rem] flex-col gap-2 lg:h-auto lg:min-h-0 [&>section]:min-h-0 [&>section]:flex-1">
        {hosted && ui === "builtin" && (
          <p role="note" data-testid="hosted-builtin-note" className="text-xs text-[var(--muted)]">
            The built-in chat is chosen (CHAT_UI=builtin), but this site runs hosted workflows whose conversations live
            at OpenAI, so ChatKit&apos;s component is used.
          </p>
        )}
        {ui === "builtin" && !hosted ? (
          <section aria-label="Chat" data-testid="chat-panel" data-phase="ready" data-ui="builtin" className={PANEL}>
            {renderBuiltin(null)}
          </section>
        ) : (
          <ChatKitPanel
            config={config}
            fetchImpl={authedFetch}
            onFactsMayHaveChanged={refresh}
            onRecordFact={recordLocal}
            builtin={builtin}
          />
        )}
      </div>
      <div className="min-h-0 lg:h-auto [&>section]:max-h-[32rem] lg:[&>section]:h-full lg:[&>section]:max-h-none">
        <FactsPanel controller={facts} />
      </div>
    </main>
  );
}

/** Where sign-in sends the person back to: this page, with the open thread. */
function currentPath(): string {
  return `${window.location.pathname}${window.location.search}`;
}
