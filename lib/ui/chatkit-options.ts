/**
 * Every ChatKit option the chat page uses, built in one place so the page, its SSR'd
 * description and the tests agree. Self-hosted mode talks to our `/chatkit` endpoint;
 * hosted mode gets client secrets from our session endpoints.
 */
import type { ChatKitOptions, StartScreenPrompt, ThemeOption } from "@openai/chatkit";
import { PALETTE, type Theme } from "./theme";

export const CHATKIT_SCRIPT_URL = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js";
export const CHATKIT_API_URL = "/chatkit";

export type ChatKitMode = "self-hosted" | "hosted";
/** Which chat the page shows (CHAT_UI): ChatKit's component, ours, or ChatKit's with ours as the fallback. */
export type ChatUi = "auto" | "chatkit" | "builtin";
export type ChatKitConfig = { mode: ChatKitMode; domainKey: string };

export const GREETING = "Tell me about yourself. I'll remember what matters.";
export const COMPOSER_PLACEHOLDER = "Share a fact about yourself, or ask what I remember";

export const STARTER_PROMPTS: StartScreenPrompt[] = [
  {
    label: "Introduce yourself to me",
    prompt: "Hi! Ask me a few questions so you can get to know me.",
    icon: "profile",
  },
  { label: "What do you remember about me?", prompt: "What do you remember about me?", icon: "notebook" },
  {
    label: "How do saved facts work?",
    prompt: "How do you decide what to remember, and how can I remove a fact?",
    icon: "circle-question",
  },
  { label: "Switch to the other theme", prompt: "Please switch the page to the other colour theme.", icon: "sparkle" },
];

/** ChatKit's colours follow the page's (app/globals.css) in both schemes. */
export function chatkitTheme(theme: Theme): ThemeOption {
  const colors = PALETTE[theme];
  return {
    colorScheme: theme,
    radius: "round",
    density: "normal",
    color: {
      accent: { primary: colors.accent, level: 1 },
      grayscale: { hue: 222, tint: 4, shade: theme === "dark" ? -1 : 0 },
      surface: { background: colors.background, foreground: colors.foreground },
    },
    typography: { baseSize: 16 },
  };
}

export type BuildInput = {
  config: ChatKitConfig;
  theme: Theme;
  fetch: typeof fetch;
  getClientSecret: (current: string | null) => Promise<string>;
  onClientTool: NonNullable<ChatKitOptions["onClientTool"]>;
  initialThread: string | null;
};

export function buildChatKitOptions(input: BuildInput): ChatKitOptions {
  return {
    api:
      input.config.mode === "hosted"
        ? { getClientSecret: input.getClientSecret }
        : { url: CHATKIT_API_URL, domainKey: input.config.domainKey, fetch: input.fetch },
    theme: chatkitTheme(input.theme),
    frameTitle: "Fact assistant chat",
    initialThread: input.initialThread,
    startScreen: { greeting: GREETING, prompts: STARTER_PROMPTS },
    composer: { placeholder: COMPOSER_PLACEHOLDER },
    history: { enabled: true, showDelete: true, showRename: true },
    threadItemActions: { feedback: true, retry: true },
    thread: { autoScroll: true },
    disclaimer: { text: "Facts are kept only after you press **Save** on their card." },
    onClientTool: input.onClientTool,
  };
}

type Described = string | number | boolean | null | Described[] | { [key: string]: Described };

/**
 * The options as JSON: functions become the string "function", so the page can show what
 * ChatKit is configured with (and tests can read it) without leaking anything callable.
 */
export function describeOptions(value: unknown): Described {
  if (typeof value === "function") return "function";
  if (Array.isArray(value)) return value.map(describeOptions);
  if (value && typeof value === "object") {
    const out: Record<string, Described> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== undefined) out[key] = describeOptions(entry);
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return null;
}

/** `<` escaped so the JSON can sit inside a <script> element safely. */
export function optionsScriptJson(options: ChatKitOptions): string {
  return JSON.stringify(describeOptions(options)).replace(/</g, "\\u003c");
}
