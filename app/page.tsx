import Link from "next/link";

export default function LandingPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center gap-8 px-6 py-16">
      <div className="space-y-4">
        <p className="text-sm font-semibold uppercase tracking-wide text-[var(--accent)]">Facts Chat</p>
        <h1 className="text-4xl font-bold tracking-tight">An assistant that remembers what matters to you.</h1>
        <p className="text-lg text-[var(--muted)]">
          Tell the assistant about yourself. Each fact it hears comes back as a card you can save or discard; saved
          facts appear beside the chat and are remembered in every later conversation.
        </p>
      </div>
      <div className="flex flex-wrap gap-3">
        <Link
          href="/login"
          className="rounded-lg bg-[var(--accent)] px-5 py-2.5 font-medium text-[var(--on-accent)] hover:opacity-90"
        >
          Sign in
        </Link>
        <Link
          href="/signup"
          className="rounded-lg border border-[var(--border)] px-5 py-2.5 font-medium hover:bg-[var(--card)]"
        >
          Create an account
        </Link>
      </div>
      <ul className="grid gap-4 text-sm text-[var(--muted)] sm:grid-cols-3">
        <li className="rounded-lg border border-[var(--border)] bg-[var(--card)] p-4">
          Chat with a ChatKit assistant.
        </li>
        <li className="rounded-lg border border-[var(--border)] bg-[var(--card)] p-4">
          Confirm each fact before it is kept.
        </li>
        <li className="rounded-lg border border-[var(--border)] bg-[var(--card)] p-4">
          Subscribe to micro-agents for your workflows.
        </li>
      </ul>
      <footer className="border-t border-[var(--border)] pt-4 text-sm text-[var(--muted)]">
        <Link href="/docs" className="hover:text-[var(--accent)] underline underline-offset-2">
          API reference
        </Link>
      </footer>
    </main>
  );
}
