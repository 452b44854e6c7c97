/**
 * /docs renders our OpenAPI document with our own components, on purpose. A bundled reference
 * UI (Scalar's React package, 0.9.83) was weighed for its request console: its browser bundle
 * alone is 4.9 MB (1.4 MB gzipped) against 0.58 MB (0.18 MB gzipped) for this whole page's
 * first load, it brings a Vue runtime and 286 packages, and by default it loads fonts from
 * fonts.scalar.com and sends "try it" requests through proxy.scalar.com, which our CSP refuses
 * and an offline machine cannot reach. Revisit if a lighter console appears.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { ThemeToggle } from "@/app/components/theme-toggle";
import { openApiDocument } from "@/lib/openapi/document";
import { Paragraphs } from "./inline-text";
import { MethodBadge, OperationCard, operationAnchor } from "./operation-card";
import { SchemaBody, schemaAnchor, type Schema } from "./schema-view";

export const metadata: Metadata = { title: "API reference · Facts Chat" };
// Rendered per request like every page: its scripts carry the request's CSP nonce (app/layout.tsx).

const tagAnchor = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

/** The API reference: the same OpenAPI document /api/openapi.json serves, rendered by tag. */
export default function DocsPage() {
  const doc = openApiDocument();
  const components = doc.components.schemas as Record<string, Schema>;
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op: op as Schema })),
  );
  const groups = doc.tags
    .map((tag) => ({ tag, ops: operations.filter((o) => (o.op.tags as string[])[0] === tag.name) }))
    .filter((g) => g.ops.length > 0);

  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-10 border-b border-[var(--border)] bg-[var(--card)]/95 backdrop-blur">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3">
          <div className="flex items-baseline gap-3">
            <Link href="/" className="font-semibold text-[var(--accent)]">
              Facts Chat
            </Link>
            <span className="text-sm text-[var(--muted)]">API reference</span>
          </div>
          <div className="flex items-center gap-3">
            <a href="/api/openapi.json" className="text-sm text-[var(--accent)] underline underline-offset-2">
              openapi.json
            </a>
            <ThemeToggle />
          </div>
        </div>
      </header>

      <div className="mx-auto flex max-w-7xl gap-8 px-4 py-8">
        <nav
          aria-label="Endpoints"
          className="sticky top-20 hidden max-h-[calc(100vh-6rem)] w-72 shrink-0 overflow-y-auto text-sm lg:block"
        >
          {groups.map(({ tag, ops }) => (
            <div key={tag.name} className="mb-4">
              <a href={`#${tagAnchor(tag.name)}`} className="font-semibold hover:text-[var(--accent)]">
                {tag.name}
              </a>
              <ul className="mt-1 space-y-1">
                {ops.map(({ path, method, op }) => (
                  <li key={`${method} ${path}`}>
                    <a
                      href={`#${operationAnchor(String(op.operationId))}`}
                      className="flex items-start gap-2 hover:text-[var(--accent)]"
                    >
                      <MethodBadge method={method} />
                      <span className="break-all pt-0.5 font-mono text-xs">{path}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <a href="#schemas" className="font-semibold hover:text-[var(--accent)]">
            Schemas
          </a>
        </nav>

        <main className="min-w-0 flex-1 space-y-12 [overflow-wrap:anywhere]">
          <section>
            <h1 className="text-3xl font-bold tracking-tight">{doc.info.title}</h1>
            <p className="mt-1 text-sm text-[var(--muted)]">
              OpenAPI {doc.openapi} · version {doc.info.version} · {operations.length} operations
            </p>
            <Paragraphs text={doc.info.description} className="mt-4 max-w-3xl text-[var(--fg)]" />
          </section>

          {groups.map(({ tag, ops }) => (
            <section key={tag.name} id={tagAnchor(tag.name)} className="scroll-mt-20 space-y-4">
              <div>
                <h2 className="text-2xl font-semibold">{tag.name}</h2>
                <Paragraphs text={tag.description} className="mt-1 max-w-3xl text-sm text-[var(--muted)]" />
              </div>
              {ops.map(({ path, method, op }) => (
                <OperationCard key={`${method} ${path}`} method={method} path={path} op={op} components={components} />
              ))}
            </section>
          ))}

          <section id="schemas" className="scroll-mt-20 space-y-4">
            <h2 className="text-2xl font-semibold">Schemas</h2>
            {Object.entries(components)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([name, schema]) => (
                <article
                  key={name}
                  id={schemaAnchor(name)}
                  data-testid="schema"
                  className="scroll-mt-20 rounded-xl border border-[var(--border)] bg-[var(--card)] p-4"
                >
                  <h3 className="font-mono font-semibold">{name}</h3>
                  {typeof schema.description === "string" ? (
                    <Paragraphs text={schema.description} className="mt-1 text-sm text-[var(--muted)]" />
                  ) : null}
                  <div className="mt-3">
                    <SchemaBody schema={schema} components={components} />
                  </div>
                </article>
              ))}
          </section>
        </main>
      </div>
    </div>
  );
}
