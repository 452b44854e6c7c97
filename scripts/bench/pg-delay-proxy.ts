/**
 * A TCP proxy in front of PostgreSQL for the benchmark's remote-database mode: every chunk is
 * held for a fixed delay in each direction (as if the database were that far away), and every
 * round trip is logged — a round trip being the app's bytes out and the database's answer back,
 * up to the app's next bytes on that connection. Run as a child process with an IPC channel:
 *
 *   argv: <pg host> <pg port> <listener names…>     → sends { ports: { name: port } }
 *   { type: "delay", ms }                            → every listener holds chunks ms each way
 *   { type: "take", name }                           → sends { trips: [{ start, end }] } and clears
 *
 * A connection's first trip is its start-up (trust authentication: one trip) and is marked `setup`.
 * Times are `performance.timeOrigin + performance.now()` (epoch ms, comparable across processes):
 * `start` when the app's first bytes of the trip arrive, `end` when the last answer bytes are
 * handed back to the app.
 */
import net from "node:net";

/** `setup`: the connection's first trip (start-up and authentication), not a query. */
type Trip = { start: number; end: number; setup: boolean };

const [host = "127.0.0.1", portArg = "5432", ...names] = process.argv.slice(2);
let delayMs = 0;
const trips = new Map<string, Trip[]>();
const now = () => performance.timeOrigin + performance.now();

/** Writes chunks to `to` after the delay, in arrival order. */
function relay(from: net.Socket, to: net.Socket, onSent: () => void) {
  from.on("data", (chunk: Buffer) => {
    const send = () => {
      if (!to.destroyed) to.write(chunk);
      onSent();
    };
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  });
}

function listen(name: string): Promise<number> {
  const log: Trip[] = [];
  trips.set(name, log);
  const server = net.createServer((app) => {
    app.setNoDelay(true);
    const db = net.connect({ host, port: Number(portArg) });
    db.setNoDelay(true);
    let current: Trip | null = null;
    let answering = false;
    app.on("data", () => {
      if (!current || answering) {
        current = { start: now(), end: NaN, setup: current === null };
        log.push(current);
        answering = false;
      }
    });
    relay(app, db, () => {});
    relay(db, app, () => {
      answering = true;
      if (current) current.end = now();
    });
    const close = () => {
      app.destroy();
      db.destroy();
    };
    app.on("error", close).on("close", close);
    db.on("error", close).on("close", close);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

process.on("message", (msg: { type: string; ms?: number; name?: string }) => {
  if (msg.type === "delay") delayMs = msg.ms ?? 0;
  if (msg.type === "take") {
    const log = trips.get(msg.name ?? "") ?? [];
    process.send?.({ trips: log.splice(0).filter((t) => Number.isFinite(t.end)) });
  }
});

void Promise.all(names.map(async (name) => [name, await listen(name)] as const)).then((ports) =>
  process.send?.({ ports: Object.fromEntries(ports) }),
);
