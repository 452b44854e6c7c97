/**
 * What the event pipeline reports about a stream, for the host app's logs and metrics: failures
 * it handled, the reply's first event, and how a failed stream failed. Published on Node's
 * diagnostics channels (`chatkit:error`, `chatkit:first-event`, `chatkit:failed`), the runtime's
 * own way for a library to report without a logger of its own: nothing is written anywhere until
 * a host subscribes (`subscribeDiagnostics`), and a channel nobody listens to costs one check.
 * Subscribers run synchronously in the stream's async context, so a host can tie a report to its
 * request.
 */
import { channel } from "node:diagnostics_channel";

export type Diagnostics = {
  /** A failure the pipeline handled (the client got an error event or the stream ended). */
  error(message: string, err: unknown): void;
  /** The first event of a producer's reply (text delta or event): called once per stream. */
  firstEvent(): void;
  /** The stream failed: `errorClass` is a short class, `ifUnset` keeps one the producer noted first. */
  failed(errorClass: string, options?: { ifUnset?: boolean }): void;
};

type ErrorReport = { message: string; err: unknown };
type FailureReport = { errorClass: string; ifUnset: boolean };

const errors = channel("chatkit:error");
const firstEvents = channel("chatkit:first-event");
const failures = channel("chatkit:failed");
const NOTHING = {};

/** The pipeline's side: publish when someone listens. */
export const diagnostics: Diagnostics = {
  error(message, err) {
    if (errors.hasSubscribers) errors.publish({ message, err } satisfies ErrorReport);
  },
  firstEvent() {
    if (firstEvents.hasSubscribers) firstEvents.publish(NOTHING);
  },
  failed(errorClass, options) {
    if (failures.hasSubscribers)
      failures.publish({ errorClass, ifUnset: options?.ifUnset === true } satisfies FailureReport);
  },
};

/** The host of this process, behind a global: route bundles and test files may load this module more than once. */
const HOST = Symbol.for("chatkit.diagnostics.host");
type Holder = { [HOST]?: Diagnostics };

/** The host's side: route every report to `host`. Calling it again replaces the host; channels are subscribed once. */
export function subscribeDiagnostics(host: Diagnostics): void {
  const holder = globalThis as Holder;
  const subscribed = holder[HOST] !== undefined;
  holder[HOST] = host;
  if (subscribed) return;
  errors.subscribe((report) => {
    const { message, err } = report as ErrorReport;
    holder[HOST]?.error(message, err);
  });
  firstEvents.subscribe(() => holder[HOST]?.firstEvent());
  failures.subscribe((report) => {
    const { errorClass, ifUnset } = report as FailureReport;
    holder[HOST]?.failed(errorClass, { ifUnset });
  });
}
