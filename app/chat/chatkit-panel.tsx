"use client";

import { ChatKit, useChatKit } from "@openai/chatkit-react";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import {
  buildChatKitOptions,
  CHATKIT_API_URL,
  CHATKIT_SCRIPT_URL,
  optionsScriptJson,
  type ChatKitConfig,
} from "@/lib/ui/chatkit-options";
import { createClientToolHandler } from "@/lib/ui/client-tools";
import { createClientSecretGetter } from "@/lib/ui/hosted-session";
import { loadChatKitScript, ScriptLoadError } from "@/lib/ui/load-script";
import { setTheme } from "@/lib/ui/theme";
import { useTheme } from "@/lib/ui/use-theme";
import { ChatFailure, FallbackNote, type FailureReason } from "./chat-failure";

const SCRIPT_TIMEOUT_MS = 15_000;
const READY_TIMEOUT_MS = 20_000;

type Phase =
  | { kind: "loading" } // fetching the web component script
  | { kind: "starting" } // element defined, waiting for its `chatkit.ready`
  | { kind: "ready" }
  | { kind: "failed"; reason: FailureReason };

export type ChatKitPanelProps = {
  config: ChatKitConfig;
  fetchImpl: typeof fetch;
  /** A response ended or the assistant signalled an effect: saved facts may have changed. */
  onFactsMayHaveChanged: () => void;
  onRecordFact: (fact: { id: string; text: string }) => void;
  /**
   * The built-in chat, given the note to show above it; absent in hosted-workflow mode.
   * `standIn`: it replaces the component at once when the component fails (CHAT_UI=auto);
   * otherwise the failure panel offers it.
   */
  builtin?: { render: (note: ReactNode) => ReactNode; standIn: boolean };
};

export function ChatKitPanel({ config, fetchImpl, onFactsMayHaveChanged, onRecordFact, builtin }: ChatKitPanelProps) {
  const theme = useTheme();
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [chosenBuiltin, setChosenBuiltin] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [lastError, setLastError] = useState<string | null>(null);

  const getClientSecret = useMemo(() => createClientSecretGetter(fetchImpl), [fetchImpl]);
  const onClientTool = useMemo(() => createClientToolHandler({ setTheme, recordFact: onRecordFact }), [onRecordFact]);
  const { mode, domainKey } = config;
  const options = useMemo(
    () =>
      buildChatKitOptions({
        config: { mode, domainKey },
        theme,
        fetch: fetchImpl,
        getClientSecret,
        onClientTool,
        initialThread: null,
      }),
    [mode, domainKey, theme, fetchImpl, getClientSecret, onClientTool],
  );

  const chatkit = useChatKit({
    ...options,
    onReady: () => setPhase({ kind: "ready" }),
    onError: ({ error }) => setLastError(error?.message || "Something went wrong in the chat."),
    onResponseStart: () => setLastError(null),
    onResponseEnd: onFactsMayHaveChanged,
    onEffect: onFactsMayHaveChanged,
  });

  useEffect(() => {
    let active = true;
    loadChatKitScript(CHATKIT_SCRIPT_URL, SCRIPT_TIMEOUT_MS).then(
      () => {
        if (active) setPhase((p) => (p.kind === "loading" ? { kind: "starting" } : p));
      },
      (error: unknown) => {
        const timedOut = error instanceof ScriptLoadError && error.reason === "timeout";
        if (active) setPhase({ kind: "failed", reason: timedOut ? "script-timeout" : "script-error" });
      },
    );
    return () => {
      active = false;
    };
  }, [attempt]);

  // Defined but never ready: usually an unregistered domain or OpenAI out of reach.
  useEffect(() => {
    if (phase.kind !== "starting") return;
    const timer = window.setTimeout(() => setPhase({ kind: "failed", reason: "start-timeout" }), READY_TIMEOUT_MS);
    return () => window.clearTimeout(timer);
  }, [phase.kind]);

  const retry = () => {
    setChosenBuiltin(false);
    setLastError(null);
    setPhase({ kind: "loading" });
    setAttempt((n) => n + 1);
  };

  const failed = phase.kind === "failed";
  const standIn = builtin && failed && (builtin.standIn || chosenBuiltin) ? phase.reason : null;
  return (
    <section
      aria-label="Chat"
      data-testid="chat-panel"
      data-phase={phase.kind}
      data-ui={standIn ? "builtin" : "chatkit"}
      className="relative min-h-0 overflow-hidden rounded-xl border border-[var(--border)] bg-[var(--card)]"
    >
      <script
        type="application/json"
        id="chatkit-options"
        data-testid="chatkit-options"
        dangerouslySetInnerHTML={{ __html: optionsScriptJson(options) }}
      />
      <ChatKit
        key={attempt}
        control={chatkit.control}
        className={`block h-full w-full ${failed ? "invisible" : ""}`}
        data-api-mode={mode}
        data-api-url={mode === "hosted" ? undefined : CHATKIT_API_URL}
        data-domain-key={mode === "hosted" ? undefined : domainKey}
        data-script-src={CHATKIT_SCRIPT_URL}
        data-theme={theme}
      />

      {(phase.kind === "loading" || phase.kind === "starting") && (
        <div
          role="status"
          className="absolute inset-0 flex flex-col items-center justify-center gap-3 bg-[var(--card)] text-sm text-[var(--muted)]"
        >
          <span
            aria-hidden
            className="h-6 w-6 animate-spin rounded-full border-2 border-[var(--border)] border-t-[var(--accent)]"
          />
          {phase.kind === "loading" ? "Loading the chat…" : "Starting the chat…"}
        </div>
      )}

      {standIn && builtin ? (
        <div className="absolute inset-0">
          {builtin.render(<FallbackNote reason={chosenBuiltin ? "chosen" : standIn} onRetry={retry} />)}
        </div>
      ) : (
        failed && (
          <ChatFailure
            reason={phase.reason}
            detail={lastError}
            onRetry={retry}
            onUseBuiltin={builtin ? () => setChosenBuiltin(true) : undefined}
          />
        )
      )}

      {lastError && !failed && (
        <div
          role="alert"
          data-testid="chat-error"
          className="absolute inset-x-3 top-3 z-10 flex items-start gap-3 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 shadow-sm dark:border-amber-500/50 dark:bg-amber-950/80 dark:text-amber-100"
        >
          <p className="flex-1">
            <span className="font-semibold">The assistant ran into a problem.</span> {lastError}
          </p>
          <button type="button" onClick={() => setLastError(null)} className="text-xs font-medium underline">
            Dismiss
          </button>
        </div>
      )}
    </section>
  );
}
