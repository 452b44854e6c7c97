/**
 * The client's address, as far as it can be trusted, for per-client rate limits.
 *
 * X-Forwarded-For is written by whoever sends the request: only the entries appended by our own
 * proxies mean anything. Configuration (lib/env.ts) says which source to believe:
 *   - CLIENT_IP_HEADER: a header the platform sets and clients cannot forge (on Vercel `x-real-ip`,
 *     the default there);
 *   - TRUSTED_PROXY_HOPS=n: n proxies each append the address they saw, so the client is the
 *     n-th entry from the right; anything further left is the client's own invention;
 *   - neither: the TCP peer's address. Next's route handlers do not expose the socket, and
 *     `next start` copies the socket address into X-Forwarded-For only when the client sent none,
 *     so a hook installed at start-up (instrumentation-node.ts → installSocketAddressHeader) stamps
 *     every request with SOCKET_ADDRESS_HEADER, overwriting any value the client sent. Where that
 *     hook cannot run (a serverless platform without a configured header) the address is
 *     "unknown" and those clients share one bucket rather than choosing their own.
 */
import type { IncomingMessage, Server } from "node:http";
import { getEnv } from "@/lib/env";

export const SOCKET_ADDRESS_HEADER = "x-client-socket-address";
const MAX = 64;

function clean(value: string | undefined | null): string | undefined {
  const v = value?.trim();
  return v ? v.slice(0, MAX) : undefined;
}

export function clientAddress(request: Request): string {
  const { header, trustedProxyHops } = getEnv().clientAddress;
  if (header) return clean(request.headers.get(header)?.split(",")[0]) ?? "unknown";
  if (trustedProxyHops > 0) {
    const hops = (request.headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    // Fewer entries than proxies: the request skipped one, so the leftmost (closest to the client) is all we have.
    return clean(hops[Math.max(0, hops.length - trustedProxyHops)]) ?? "unknown";
  }
  return clean(request.headers.get(SOCKET_ADDRESS_HEADER)) ?? "unknown";
}

let installed = false;

/**
 * Stamps every incoming HTTP request of this Node process with its socket's address (see above).
 * Called once at server start; a client-sent header of the same name is overwritten.
 */
export function installSocketAddressHeader(http: { Server: typeof Server }): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      req.headers[SOCKET_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
