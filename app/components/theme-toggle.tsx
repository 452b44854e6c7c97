"use client";

import { useSyncExternalStore } from "react";
import { readTheme, subscribeTheme, toggleTheme } from "@/lib/ui/theme";

/** Light/dark switch. Its icon follows `<html data-theme>` through CSS, so it never flashes. */
export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribeTheme, readTheme, () => null);
  const label =
    theme === "dark" ? "Switch to light theme" : theme === "light" ? "Switch to dark theme" : "Toggle theme";
  return (
    <button
      type="button"
      onClick={() => toggleTheme()}
      aria-label={label}
      title={label}
      data-testid="theme-toggle"
      className="inline-flex h-9 w-9 items-center justify-center rounded-lg border border-[var(--border)] text-[var(--fg)] hover:bg-[var(--bg)] focus-visible:outline-2 focus-visible:outline-[var(--accent)]"
    >
      {/* Moon in light mode, sun in dark mode. */}
      <svg
        aria-hidden
        viewBox="0 0 24 24"
        className="h-5 w-5 dark:hidden"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <svg
        aria-hidden
        viewBox="0 0 24 24"
        className="hidden h-5 w-5 dark:block"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <circle cx="12" cy="12" r="4" />
        <path
          d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"
          strokeLinecap="round"
        />
      </svg>
    </button>
  );
}
