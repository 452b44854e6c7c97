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
        <Link href="/" className="mr-1 whitespace-nowrap font-semibold tracking-tight sm:mr-3">
          Facts<span className="text-[var(--accent)]"> Chat</span>
        </Link>
        <nav aria-label="Main" className="flex items-center sm:gap-1">
          {NAV.map((item) => (
            <Link
              key={item.key}
              href={item.href}
              aria-current={item.key === current ? "page" : undefined}
              className="whitespace-nowrap rounded-lg px-2 py-1.5 text-sm font-medium text-[var(--muted)] sm:px-3 hover:text-[var(--fg)] aria-[current=page]:bg-[var(--bg)] aria-[current=page]:text-[var(--fg)]"
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-1 sm:gap-3">
          <span className="hidden max-w-[16rem] truncate text-sm text-[var(--muted)] md:inline" title={email}>
            {email}
          </span>
          <ThemeToggle />
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
