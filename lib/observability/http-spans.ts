/**
 * Client spans for our calls to OpenAI and Stripe (OpenTelemetry's HTTP conventions), made by the
 * two SDKs' own extension points: the OpenAI client's `fetch` option and Stripe's `httpClient`.
 *
 * Why not a global fetch instrumentation: the one `@vercel/otel` ships (used here before) builds a
 * second `Request` (cloning the body) for every fetch the process makes, sampled or not, and was
 * measured as most of what tracing cost a chat turn. Here the span is made only for the two
 * upstreams, and only within a recorded trace; otherwise the call goes straight through.
 *
 * A span names the method and the path with ids folded to `{id}` (few distinct names, as
 * backends group by name); it records no query string (Stripe list calls carry emails there),
 * no header and no body.
 */
import "server-only";
import { SpanKind, SpanStatusCode, type Span } from "@opentelemetry/api";
import { pathTemplate } from "./path-template";
import { startChildSpan } from "./tracing";

type Call = { method: string; host: string; port: number | undefined; path: string };

/**
 * Runs `send` in a client span (what `describe` says) when it is made within a recorded span
 * (else sends as it is); the span ends with the response's status, or the error's class.
 */
function inClientSpan<R>(describe: () => Call, send: () => Promise<R>, statusOf: (response: R) => number): Promise<R> {
  // Nothing is parsed while tracing is off or the trace unsampled: `describe` runs only for a span.
  const span = startChildSpan(() => {
    const call = describe();
    const template = pathTemplate(call.path);
    return {
      name: `${call.method} ${template}`,
      options: {
        kind: SpanKind.CLIENT,
        attributes: {
          "http.request.method": call.method,
          "server.address": call.host,
          ...(call.port ? { "server.port": call.port } : {}),
          "url.template": template,
        },
      },
    };
  });
  if (!span) return send();
  return send().then(
    (response) => {
      const status = statusOf(response);
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) failed(span, String(status));
      span.end();
      return response;
    },
    (err: unknown) => {
      failed(span, err instanceof Error ? err.name : "unknown");
      span.end();
      throw err;
    },
  );
}

function failed(span: Span, errorType: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute("error.type", errorType);
}

/**
 * A fetch that puts each call in a client span (ended when the response's headers arrive, as the
 * conventions allow; a streamed body is timed by the span of whoever reads it, e.g. the model call's).
 */
export function tracedFetch(base: typeof fetch = (input, init) => globalThis.fetch(input, init)): typeof fetch {
  const describe = (input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): Call => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    return { method, host: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname };
  };
  return (input, init) =>
    inClientSpan(
      () => describe(input, init),
      () => base(input, init),
      (response) => response.status,
    );
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
  const makeRequest: Client["makeRequest"] = (host, port, path, method, headers, requestData, protocol, timeout) =>
    inClientSpan(
      () => ({ method: method.toUpperCase(), host, port: Number(port) || undefined, path }),
      () => client.makeRequest(host, port, path, method, headers, requestData, protocol, timeout),
      (response) => response.getStatusCode(),
    );
  // The SDK reads the client's name for its user agent and calls makeRequest on it: keep the rest as it is.
  return Object.assign(Object.create(client) as Client, { makeRequest });
}
