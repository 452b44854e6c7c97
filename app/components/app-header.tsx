import Link from "next/link";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";

const NAV = [
  { href: "/chat", label: "Chat", key: "chat" },
  { href: "/dashboard", label: "Dashboard", key: "dashboard" },
  { href: "/settings", label: "Settings", key: "settings" },
] as const;

export type AppSection = (typeof NAV)[number]["key"];

/** The signed-in app's header: sections, theme switch, who is signed in, sign-out. */
export function AppHeader({ current, email }: { current: AppSection; email: string }) {
  return (
    <header className="border-b border-[var(--border)] bg-[var(--card)]">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-2 px-3 sm:gap-4 sm:px-6">
        <Link href="/" aria-label="Facts Chat" className="mr-1 whitespace-nowrap font-semibold tracking-tight sm:mr-3">
          Facts<span className="hidden text-[var(--accent)] sm:inline"> Chat</span>
        </Link>
        <nav aria-label="Main" className="flex items-center sm:gap-1">
          {NAV.map((item) => (
            <Link
              key={item.key}
              href={item.href}
              aria-current={item.key === current ? "page" : undefined}
              className="inline-flex items-center whitespace-nowrap rounded-lg px-2 py-1.5 text-sm font-medium text-[var(--muted)] sm:px-3 hover:text-[var(--fg)] aria-[current=page]:bg-[var(--bg)] aria-[current=page]:text-[var(--fg)]"
            >
              {item.key === "settings" ? <SettingsLabel /> : item.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex min-w-0 items-center gap-1 sm:gap-3">
          <span className="hidden min-w-0 max-w-[16rem] truncate text-sm text-[var(--muted)] md:inline" title={email}>
            {email}
          </span>
          <ThemeToggle />
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}

/** On phones the header has no room for a third word: Settings shows as a gear there. */
function SettingsLabel() {
  return (
    <>
      <span className="hidden sm:inline">Settings</span>
      <span className="sr-only sm:hidden">Settings</span>
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-5 w-5 sm:hidden"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <circle cx="12" cy="12" r="3" />
        <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
      </svg>
    </>
  );
}
