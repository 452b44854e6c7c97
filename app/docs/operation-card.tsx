import { InlineText, Paragraphs } from "./inline-text";
import { refName, SchemaView, type Schema } from "./schema-view";

type Components = Record<string, Schema>;
type Media = { schema?: Schema; example?: unknown; examples?: Record<string, { summary?: string; value: unknown }> };

const METHOD_STYLE: Record<string, string> = {
  get: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  post: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  put: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
};

export const operationAnchor = (operationId: string) => `op-${operationId}`;

export function MethodBadge({ method }: { method: string }) {
  return (
    <span
      className={`inline-block w-14 shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-xs font-bold uppercase ${METHOD_STYLE[method] ?? "bg-[var(--bg)]"}`}
    >
      {method}
    </span>
  );
}

function statusStyle(status: string): string {
  if (status.startsWith("2")) return "text-emerald-700 dark:text-emerald-400";
  if (status.startsWith("3")) return "text-sky-700 dark:text-sky-400";
  if (status.startsWith("4")) return "text-amber-700 dark:text-amber-400";
  return "text-rose-700 dark:text-rose-400";
}

function authLabel(security: Schema[]): string {
  const schemes = security.flatMap((s) => Object.keys(s));
  if (schemes.length === 0) return "No authentication";
  if (schemes.includes("bearerAuth")) return "Bearer token or session cookie";
  return "Session cookie (signed-in browser)";
}

function Example({ value }: { value: unknown }) {
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return (
    <pre className="max-h-80 overflow-auto rounded-md bg-[var(--bg)] p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all">
      {text}
    </pre>
  );
}

function MediaBlock({ type, media, components }: { type: string; media: Media; components: Components }) {
  const eventSchema = media.schema?.["x-event-schema"] as Schema | undefined;
  return (
    <div className="space-y-2">
      <p className="font-mono text-xs text-[var(--muted)]">{type}</p>
      {media.schema ? <SchemaView schema={media.schema} components={components} /> : null}
      {eventSchema && typeof eventSchema.$ref === "string" ? (
        <p className="text-sm">
          Each frame&apos;s JSON is a{" "}
          <a
            className="font-mono text-[var(--accent)] underline underline-offset-2"
            href={`#schema-${refName(eventSchema.$ref)}`}
          >
            {refName(eventSchema.$ref)}
          </a>
          .
        </p>
      ) : null}
      {media.example !== undefined ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-[var(--muted)]">Example</summary>
          <Example value={media.example} />
        </details>
      ) : null}
      {media.examples ? (
        <ul className="space-y-1">
          {Object.entries(media.examples).map(([key, ex]) => (
            <li key={key} className="font-mono text-xs break-all">
              {JSON.stringify(ex.value)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

type ChatKitVariant = { type: string; streaming: boolean; request: string; response: string };

function ChatKitTypes({ variants }: { variants: ChatKitVariant[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-[var(--muted)]">
          <tr>
            <th className="py-1 pr-4 font-medium">type</th>
            <th className="py-1 pr-4 font-medium">params</th>
            <th className="py-1 font-medium">answer</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-[var(--border)]">
          {variants.map((v) => (
            <tr key={v.type} data-testid="chatkit-request-type">
              <td className="py-1.5 pr-4 font-mono">{v.type}</td>
              <td className="py-1.5 pr-4">
                <a
                  className="font-mono text-[var(--accent)] underline underline-offset-2"
                  href={`#schema-${refName(v.request)}`}
                >
                  {refName(v.request)}
                </a>
              </td>
              <td className="py-1.5">
                {v.streaming ? <span className="font-mono text-xs">text/event-stream of </span> : null}
                <a
                  className="font-mono text-[var(--accent)] underline underline-offset-2"
                  href={`#schema-${refName(v.response)}`}
                >
                  {refName(v.response)}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OperationCard({
  method,
  path,
  op,
  components,
}: {
  method: string;
  path: string;
  op: Schema;
  components: Components;
}) {
  const operationId = String(op.operationId);
  const parameters = (op.parameters as Schema[] | undefined) ?? [];
  const body = op.requestBody as
    { description?: string; required?: boolean; content: Record<string, Media> } | undefined;
  const responses = Object.entries(
    op.responses as Record<string, { description: string; headers?: Schema; content?: Record<string, Media> }>,
  );
  const variants = op["x-chatkit-request-types"] as ChatKitVariant[] | undefined;
  return (
    <article
      id={operationAnchor(operationId)}
      data-testid="operation"
      data-method={method.toUpperCase()}
      data-path={path}
      className="scroll-mt-20 rounded-xl border border-[var(--border)] bg-[var(--card)] p-4 sm:p-5"
    >
      <header className="flex flex-wrap items-center gap-3">
        <MethodBadge method={method} />
        <h3 className="font-mono text-base font-semibold break-all">{path}</h3>
      </header>
      <p className="mt-2 font-medium">{String(op.summary)}</p>
      <p className="mt-1 text-xs text-[var(--muted)]">
        <span className="font-medium">Auth:</span> {authLabel((op.security as Schema[]) ?? [])}
        {op["x-handled-by"] === "next-auth" ? " · served by next-auth" : null}
      </p>
      {typeof op.description === "string" ? (
        <Paragraphs text={op.description} className="mt-2 text-sm text-[var(--muted)]" />
      ) : null}

      {parameters.length > 0 ? (
        <section className="mt-4">
          <h4 className="text-sm font-semibold">Parameters</h4>
          <ul className="mt-2 space-y-1 text-sm">
            {parameters.map((p) => (
              <li key={`${String(p.in)}-${String(p.name)}`}>
                <span className="font-mono font-semibold">{String(p.name)}</span>{" "}
                <span className="text-xs text-[var(--muted)]">
                  {String(p.in)}
                  {p.required ? ", required" : ""}
                </span>{" "}
                — <InlineText text={String(p.description ?? "")} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {body ? (
        <section className="mt-4">
          <h4 className="text-sm font-semibold">
            Request body {body.required ? null : <span className="font-normal text-[var(--muted)]">(optional)</span>}
          </h4>
          {body.description ? (
            <p className="mt-1 text-sm text-[var(--muted)]">
              <InlineText text={body.description} />
            </p>
          ) : null}
          <div className="mt-2 space-y-3">
            {Object.entries(body.content).map(([type, media]) => (
              <MediaBlock key={type} type={type} media={media} components={components} />
            ))}
          </div>
        </section>
      ) : null}

      {variants ? (
        <section className="mt-4">
          <h4 className="text-sm font-semibold">Request types</h4>
          <ChatKitTypes variants={variants} />
        </section>
      ) : null}

      <section className="mt-4">
        <h4 className="text-sm font-semibold">Responses</h4>
        <ul className="mt-2 space-y-3">
          {responses.map(([status, answer]) => (
            <li
              key={status}
              data-testid="response"
              data-status={status}
              className="border-l-2 border-[var(--border)] pl-3"
            >
              <p className="text-sm">
                <span className={`font-mono font-bold ${statusStyle(status)}`}>{status}</span>{" "}
                <InlineText text={answer.description} />
              </p>
              {answer.headers ? (
                <p className="mt-1 text-xs text-[var(--muted)]">
                  Headers: <span className="font-mono">{Object.keys(answer.headers).join(", ")}</span>
                </p>
              ) : null}
              {answer.content ? (
                <div className="mt-2 space-y-3">
                  {Object.entries(answer.content).map(([type, media]) =>
                    status.startsWith("4") || status.startsWith("5") ? (
                      <ErrorMedia key={type} media={media} />
                    ) : (
                      <MediaBlock key={type} type={type} media={media} components={components} />
                    ),
                  )}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}

/** Error answers share one schema; show the link once and the example bodies. */
function ErrorMedia({ media }: { media: Media }) {
  const ref = typeof media.schema?.$ref === "string" ? refName(media.schema.$ref) : undefined;
  const examples = media.examples
    ? Object.values(media.examples).map((e) => e.value)
    : media.example !== undefined
      ? [media.example]
      : [];
  return (
    <div className="space-y-1">
      {ref ? (
        <p className="text-xs text-[var(--muted)]">
          <a className="font-mono text-[var(--accent)] underline underline-offset-2" href={`#schema-${ref}`}>
            {ref}
          </a>
        </p>
      ) : null}
      {examples.map((value, i) => (
        <code key={i} className="block rounded bg-[var(--bg)] px-2 py-1 font-mono text-xs break-all">
          {JSON.stringify(value)}
        </code>
      ))}
    </div>
  );
}
