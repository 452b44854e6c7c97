/**
 * Client spans for our calls to OpenAI and Stripe (OpenTelemetry's HTTP conventions), made by the
 * two SDKs' own extension points: the OpenAI client's `fetch` option and Stripe's `httpClient`.
 *
 * Why not a global fetch instrumentation: the one `@vercel/otel` ships builds a second `Request`
 * (cloning the body) for every fetch the process makes, sampled or not, and measured as most of
 * what tracing cost a chat turn. Here the span is made only for the two upstreams, and only while
 * tracing is registered; otherwise the call goes straight through.
 *
 * A span names the method and the path with ids folded to `{id}` (few distinct names, as
 * backends group by name); it records no query string (Stripe list calls carry emails there),
 * no header and no body.
 */
import "server-only";
import { SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { tracingRegistered, unsampledParent } from "./tracing";

const tracer = trace.getTracer("chatkit-facts");

/** A path segment that names one object (`file-abc123`, `sub_1Px…`, `vs_…`, a UUID) rather than a collection. */
const ID_SEGMENT = /^(?=.*\d)[\w.-]{6,}$/;

/** `/v1/files/file-abc123/content?x=1` → `/v1/files/{id}/content`. */
export function pathTemplate(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? "";
  return bare
    .split("/")
    .map((segment) => (ID_SEGMENT.test(segment) ? "{id}" : segment))
    .join("/")
    .slice(0, 200);
}

function startClientSpan(method: string, host: string, port: number | undefined, path: string): Span {
  const template = pathTemplate(path);
  return tracer.startSpan(`${method} ${template}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      "http.request.method": method,
      "server.address": host,
      ...(port ? { "server.port": port } : {}),
      "url.template": template,
    },
  });
}

function endClientSpan(span: Span, status: number | undefined, err?: unknown): void {
  if (status !== undefined) span.setAttribute("http.response.status_code", status);
  if (err !== undefined || (status !== undefined && status >= 500)) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    const name = err instanceof Error ? err.name : undefined;
    span.setAttribute("error.type", status !== undefined ? String(status) : (name ?? "unknown"));
  }
  span.end();
}

/**
 * A fetch that puts each call in a client span (ended when the response's headers arrive, as the
 * conventions allow; a streamed body is timed by the span of whoever reads it, e.g. the model call's).
 */
export function tracedFetch(base: typeof fetch = (input, init) => globalThis.fetch(input, init)): typeof fetch {
  return (input, init) => {
    if (!tracingRegistered() || unsampledParent()) return base(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const span = startClientSpan(method, url.hostname, url.port ? Number(url.port) : undefined, url.pathname);
    return base(input, init).then(
      (response) => {
        endClientSpan(span, response.status);
        return response;
      },
      (err: unknown) => {
        endClientSpan(span, undefined, err);
        throw err;
      },
    );
  };
}

/** What a Stripe `HttpClient` offers (the SDK's interface, restated so this module does not import Stripe). */
export type StripeHttpClientLike<Response extends { getStatusCode(): number }> = {
  getClientName(): string;
  makeRequest(
    host: string,
    port: string,
    path: string,
    method: string,
    headers: object,
    requestData: string,
    protocol: string,
    timeout: number,
  ): Promise<Response>;
};

/** Wraps a Stripe HTTP client so each request (each retry too) is a client span. */
export function traceStripeHttpClient<Client extends StripeHttpClientLike<{ getStatusCode(): number }>>(
  client: Client,
): Client {
  const makeRequest: Client["makeRequest"] = (host, port, path, method, headers, requestData, protocol, timeout) => {
    if (!tracingRegistered() || unsampledParent())
      return client.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
    const span = startClientSpan(method.toUpperCase(), host, Number(port) || undefined, path);
    return client.makeRequest(host, port, path, method, headers, requestData, protocol, timeout).then(
      (response) => {
        endClientSpan(span, response.getStatusCode());
        return response;
      },
      (err: unknown) => {
        endClientSpan(span, undefined, err);
        throw err;
      },
    );
  };
  // The SDK reads the client's name for its user agent and calls makeRequest on it: keep the rest as it is.
  return Object.assign(Object.create(client) as Client, { makeRequest });
}
