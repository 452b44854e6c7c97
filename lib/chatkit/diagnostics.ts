/**
 * What the event pipeline reports about a stream, for the host app's logs and metrics: failures
 * it handled, the reply's first event, and how a failed stream failed. The library imports
 * nothing of the app: the app installs its own (`setDiagnostics`); by default failures go to
 * the console and the rest is dropped.
 */
export type Diagnostics = {
  /** A failure the pipeline handled (the client got an error event or the stream ended). */
  error(message: string, err: unknown): void;
  /** The first event of a producer's reply (text delta or event): called once per stream. */
  firstEvent(): void;
  /** The stream failed: `errorClass` is a short class, `ifUnset` keeps one the producer noted first. */
  failed(errorClass: string, options?: { ifUnset?: boolean }): void;
};

let current: Diagnostics = {
  error: (message, err) => console.error(`[chatkit] ${message}`, err),
  firstEvent: () => undefined,
  failed: () => undefined,
};

export function setDiagnostics(diagnostics: Diagnostics): void {
  current = diagnostics;
}

export function diagnostics(): Diagnostics {
  return current;
}
