import Link from "next/link";
import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-6 py-12">
      <Link href="/" className="text-sm font-semibold uppercase tracking-wide text-[var(--accent)]">
        Facts Chat
      </Link>
      <div className="rounded-xl border border-[var(--border)] bg-[var(--card)] p-6 shadow-sm">{children}</div>
    </main>
  );
}
