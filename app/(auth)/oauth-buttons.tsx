import type { OAuthProviderId } from "@/lib/auth/next-auth-options";

const LABELS: Record<OAuthProviderId, string> = { google: "Continue with Google", apple: "Continue with Apple" };

/** Plain links: the OAuth start route answers with the redirect to the provider. */
export function OAuthButtons({ providers, callbackUrl }: { providers: OAuthProviderId[]; callbackUrl: string }) {
  if (providers.length === 0) return null;
  return (
    <div className="flex flex-col gap-2">
      {providers.map((p) => (
        <a
          key={p}
          href={`/api/auth/oauth/${p}?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          className="rounded-lg border border-[var(--border)] px-4 py-2.5 text-center font-medium hover:bg-[var(--bg)]"
        >
          {LABELS[p]}
        </a>
      ))}
      <p className="text-center text-xs text-[var(--muted)]">or use your email</p>
    </div>
  );
}
