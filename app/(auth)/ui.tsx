/** Small shared pieces of the auth forms. */
import type { InputHTMLAttributes, ReactNode } from "react";

export function Field({ label, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium">
      {label}
      <input
        {...input}
        className="rounded-lg border border-[var(--border)] bg-[var(--bg)] px-3 py-2 text-base font-normal outline-none focus:border-[var(--accent)]"
      />
    </label>
  );
}

export function FormError({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {children}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="rounded-lg border border-[var(--border)] bg-[var(--bg)] px-3 py-2 text-sm">
      {children}
    </p>
  );
}

export { SubmitButton } from "./submit-button";

/** Reads `detail` from our JSON error answers; a readable fallback otherwise. */
export async function errorDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: unknown };
    if (typeof body.detail === "string") return body.detail;
  } catch {
    // not JSON
  }
  return response.status === 429
    ? "Too many attempts. Please wait a moment and try again."
    : "Something went wrong. Please try again.";
}
