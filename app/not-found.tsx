import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found · Facts Chat" };

/** Any unknown address: a page with its own landmark and heading, and the ways back. */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-6 py-12">
      <p className="text-sm font-semibold tracking-wide text-[var(--accent)] uppercase">Facts Chat</p>
      <h1 className="text-2xl font-bold">This page could not be found</h1>
      <p className="text-[var(--muted)]">The address may be mistyped, or the page may have moved.</p>
      <p className="flex flex-wrap gap-4">
        <Link href="/" className="font-medium text-[var(--accent)] underline underline-offset-2">
          Home
        </Link>
        <Link href="/chat" className="font-medium text-[var(--accent)] underline underline-offset-2">
          Chat
        </Link>
      </p>
    </main>
  );
}
