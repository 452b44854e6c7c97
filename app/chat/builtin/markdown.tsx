"use client";

/**
 * Assistant Markdown: GitHub-flavoured (tables, task lists, strikethrough, autolinks), code
 * blocks, links that open in a new tab without handing over the page (noopener noreferrer).
 * Raw HTML in the text is never rendered (`skipHtml`), and react-markdown's URL filter drops
 * `javascript:` and other unsafe link targets.
 */
import { memo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

const components: Components = {
  a: ({ href, children }) => (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      className="font-medium text-[var(--accent)] underline underline-offset-2"
    >
      {children}
    </a>
  ),
  pre: ({ children }) => (
    <pre className="my-2 overflow-x-auto rounded-lg border border-[var(--border)] bg-[var(--bg)] p-3 text-[13px] leading-relaxed">
      {children}
    </pre>
  ),
  code: ({ className, children }) => (
    <code
      className={`${className ?? ""} rounded bg-[var(--bg)] px-1 py-0.5 font-mono text-[0.9em] [pre_&]:bg-transparent [pre_&]:p-0`}
    >
      {children}
    </code>
  ),
  table: ({ children }) => (
    <div className="my-2 overflow-x-auto">
      <table className="w-full border-collapse text-sm">{children}</table>
    </div>
  ),
  th: ({ children }) => <th className="border border-[var(--border)] px-2 py-1 text-left font-semibold">{children}</th>,
  td: ({ children }) => <td className="border border-[var(--border)] px-2 py-1">{children}</td>,
  ul: ({ children, className }) => (
    <ul className={`my-2 pl-5 ${className?.includes("contains-task-list") ? "list-none pl-1" : "list-disc"}`}>
      {children}
    </ul>
  ),
  ol: ({ children }) => <ol className="my-2 list-decimal pl-5">{children}</ol>,
  p: ({ children }) => <p className="my-2 first:mt-0 last:mb-0">{children}</p>,
  h1: ({ children }) => <h3 className="mt-3 mb-1 text-lg font-semibold">{children}</h3>,
  h2: ({ children }) => <h3 className="mt-3 mb-1 text-base font-semibold">{children}</h3>,
  h3: ({ children }) => <h4 className="mt-3 mb-1 font-semibold">{children}</h4>,
  blockquote: ({ children }) => (
    <blockquote className="my-2 border-l-2 border-[var(--border)] pl-3 text-[var(--muted)]">{children}</blockquote>
  ),
  img: ({ alt }) => <span className="text-[var(--muted)]">[{alt || "image"}]</span>,
};

const plugins = [remarkGfm];

function Markdown({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={plugins} skipHtml components={components}>
      {text}
    </ReactMarkdown>
  );
}

export default memo(Markdown);
