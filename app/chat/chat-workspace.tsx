"use client";

import { useMemo, useSyncExternalStore } from "react";
import { createAuthedFetch, redirectToSignIn } from "@/lib/ui/api";
import type { ChatKitConfig } from "@/lib/ui/chatkit-options";
import { readTheme, subscribeTheme } from "@/lib/ui/theme";
import { ChatKitPanel } from "./chatkit-panel";
import { FactsPanel } from "./facts-panel";
import { useFacts } from "./use-facts";

/** Chat and saved facts side by side on wide screens, stacked (chat first) on phones. */
export function ChatWorkspace({ config }: { config: ChatKitConfig }) {
  const theme = useSyncExternalStore(subscribeTheme, readTheme, () => "light" as const);
  const authedFetch = useMemo(() => createAuthedFetch(() => redirectToSignIn("/chat")), []);
  const facts = useFacts(authedFetch);
  const { refresh, recordLocal } = facts;

  return (
    <main className="mx-auto grid w-full max-w-7xl flex-1 gap-3 p-3 sm:gap-4 sm:p-4 lg:h-[calc(100dvh-3.5rem)] lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="h-[72dvh] min-h-[28rem] lg:h-auto lg:min-h-0 [&>section]:h-full">
        <ChatKitPanel
          config={config}
          theme={theme}
          fetchImpl={authedFetch}
          onFactsMayHaveChanged={refresh}
          onRecordFact={recordLocal}
        />
      </div>
      <div className="min-h-0 lg:h-auto [&>section]:max-h-[32rem] lg:[&>section]:h-full lg:[&>section]:max-h-none">
        <FactsPanel controller={facts} />
      </div>
    </main>
  );
}
