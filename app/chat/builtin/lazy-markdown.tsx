"use client";

import { lazy, Suspense } from "react";

// The Markdown parser is the heaviest part of the chat: it loads after the page, and the plain
// text shows meanwhile.
const Markdown = lazy(() => import("./markdown"));

export function LazyMarkdown({ text }: { text: string }) {
  return (
    <Suspense fallback={<div className="whitespace-pre-wrap">{text}</div>}>
      <Markdown text={text} />
    </Suspense>
  );
}
