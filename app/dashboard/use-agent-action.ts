"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createAuthedFetch, errorDetail, redirectToSignIn } from "@/lib/ui/api";

const authedFetch = createAuthedFetch(() => redirectToSignIn("/dashboard"));

/**
 * A confirmed write on one micro-agent (cancel, plan change): POST it, and on success refresh the
 * dashboard, which shows what the server now holds. Busy and error states for the button that asked.
 */
export function useAgentAction(id: string, action: "cancel" | "plan", failure: string) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(body?: unknown): Promise<boolean> {
    setBusy(true);
    setError(null);
    let ok = false;
    try {
      const res = await authedFetch(`/api/microagents/${encodeURIComponent(id)}/${action}`, {
        method: "POST",
        ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      });
      if (res.ok) {
        ok = true;
        router.refresh();
      } else {
        setError(await errorDetail(res, failure));
      }
    } catch {
      setError("Could not reach the server. Please try again.");
    }
    setBusy(false);
    return ok;
  }

  return { busy, error, run };
}
