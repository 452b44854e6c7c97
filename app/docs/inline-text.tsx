import type { ReactNode } from "react";

/** Renders the document's tiny markdown subset: `code`, **bold**, and blank-line paragraphs. */
export function InlineText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  const pattern = /(`[^`]+`|\*\*[^*]+\*\*)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    const token = match[0];
    parts.push(
      token.startsWith("`") ? (
        <code key={index} className="rounded bg-[var(--border)]/60 px-1 py-0.5 font-mono text-[0.85em]">
          {token.slice(1, -1)}
        </code>
      ) : (
        <strong key={index}>{token.slice(2, -2)}</strong>
      ),
    );
    last = index + token.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

export function Paragraphs({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className}>
      {text.split(/\n\s*\n/).map((p, i) => (
        <p key={i} className="mt-2 first:mt-0">
          <InlineText text={p} />
        </p>
      ))}
    </div>
  );
}
