"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/** Stripe's webhook may land a moment after the customer does: look again for up to a minute. */
export function RefreshWhilePending({ pending }: { pending: boolean }) {
  const router = useRouter();
  const [tries, setTries] = useState(0);
  useEffect(() => {
    if (!pending || tries >= 30) return;
    const timer = setTimeout(() => {
      setTries((n) => n + 1);
      router.refresh();
    }, 2000);
    return () => clearTimeout(timer);
  }, [pending, tries, router]);
  return null;
}
