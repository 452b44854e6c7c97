/**
 * The page theme (light/dark): stored per browser under localStorage "theme" and applied as
 * `<html data-theme>`, which the inline script in app/layout.tsx sets before first paint.
 * Components read it through `subscribeTheme`/`readTheme` so the header toggle, the chat
 * and the assistant's `switch_theme` tool all move one shared value.
 */
export const THEMES = ["light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_STORAGE_KEY = "theme";
const THEME_EVENT = "app:themechange";

export function isTheme(value: unknown): value is Theme {
  return value === "light" || value === "dark";
}

/** The theme currently applied to the document ("light" before the document exists). */
export function readTheme(): Theme {
  if (typeof document === "undefined") return "light";
  const value = document.documentElement.dataset.theme;
  return isTheme(value) ? value : "light";
}

/** Applies and remembers a theme; every subscriber hears about it. */
export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Private mode or storage disabled: the theme still applies for this page view.
  }
  window.dispatchEvent(new CustomEvent(THEME_EVENT, { detail: theme }));
}

export function toggleTheme(): Theme {
  const next: Theme = readTheme() === "dark" ? "light" : "dark";
  setTheme(next);
  return next;
}

/** For useSyncExternalStore: also follows changes made in other tabs. */
export function subscribeTheme(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key !== THEME_STORAGE_KEY || !isTheme(event.newValue)) return;
    document.documentElement.dataset.theme = event.newValue;
    onChange();
  };
  window.addEventListener(THEME_EVENT, onChange);
  window.addEventListener("storage", onStorage);
  return () => {
    window.removeEventListener(THEME_EVENT, onChange);
    window.removeEventListener("storage", onStorage);
  };
}

/** The page's colours (mirrors the CSS variables in app/globals.css), for ChatKit's theme. */
export const PALETTE = {
  light: { background: "#ffffff", foreground: "#0f172a", accent: "#4f46e5" },
  dark: { background: "#121a2f", foreground: "#e2e8f0", accent: "#818cf8" },
} as const satisfies Record<Theme, { background: string; foreground: string; accent: string }>;
